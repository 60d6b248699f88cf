import type { Job } from 'bullmq';
import type { Config } from '../../../shared/src/config/env.ts';
import type { PushJob } from '../../../shared/src/types/task.schema.ts';

/** The longest single wait of the backoff after repeated 429s without a longer Retry-After. */
const STEP_CAP_MS = 60_000;

/** The waits a push's 429s imposed so far. */
export type RateLimited = NonNullable<PushJob['rateLimited']>;

export interface RateLimitWait {
  waitMs: number;
  rateLimited: RateLimited;
  message: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * How long to wait after a push's `count`-th 429. With a Retry-After, that long plus up to half as much
 * again, so the pushes the target turned away together do not all come back together; without one, an
 * exponential backoff with equal jitter from `baseMs`.
 */
export function rateLimitDelay(baseMs: number, count: number, retryAfterMs?: number, random = Math.random) {
  if (retryAfterMs) return Math.round(retryAfterMs * (1 + random() / 2));
  const step = Math.min(baseMs * 2 ** Math.max(0, count - 1), STEP_CAP_MS);
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * A 429 spends no attempt: the push waits and tries again while its waits on 429s stay within
 * PROVISIM_RATE_LIMIT_MAX_WAIT_MS. Null once that budget is spent; the 429 then counts as an attempt like a 503.
 */
export function planRateLimitWait(
  tally: RateLimited | undefined,
  config: Config,
  retryAfterMs: number | undefined,
  random = Math.random,
): RateLimitWait | null {
  const before = tally ?? { count: 0, waitedMs: 0 };
  const count = before.count + 1;
  const waitMs = rateLimitDelay(config.PROVISIM_RETRY_BASE_MS, count, retryAfterMs, random);
  const waitedMs = before.waitedMs + waitMs;
  const budget = config.PROVISIM_RATE_LIMIT_MAX_WAIT_MS;
  if (waitedMs > budget) return null;
  const told = retryAfterMs === undefined ? 'no Retry-After' : `Retry-After ${seconds(retryAfterMs)}`;
  return {
    waitMs,
    rateLimited: { count, waitedMs },
    message: `Rate limited (429, ${told}): waiting ${seconds(waitMs)} before trying again, no attempt spent (waited ${seconds(waitedMs)} of this push's ${seconds(budget)} for rate limits).`,
  };
}

/** Puts a job of one user back to wait, keeping its tally; the caller then throws BullMQ's DelayedError. */
export async function deferPush(job: Job<PushJob>, token: string | undefined, wait: RateLimitWait) {
  await job.updateData({ ...job.data, rateLimited: wait.rateLimited });
  await job.moveToDelayed(Date.now() + wait.waitMs, token);
}
