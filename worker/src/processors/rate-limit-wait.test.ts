import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/src/config/env.ts';
import { planRateLimitWait, rateLimitDelay } from './rate-limit-wait.ts';

const config = loadConfig({ PROVISIM_RETRY_BASE_MS: '1000', PROVISIM_RATE_LIMIT_MAX_WAIT_MS: '10000' });

describe('rateLimitDelay', () => {
  it('waits Retry-After plus jitter, and backs off exponentially with jitter without one', () => {
    expect(rateLimitDelay(1000, 1, 5000, () => 0)).toBe(5000);
    expect(rateLimitDelay(1000, 9, 5000, () => 1)).toBe(7500);
    expect(rateLimitDelay(1000, 1, undefined, () => 0)).toBe(500);
    expect(rateLimitDelay(1000, 2, 0, () => 0)).toBe(1000);
    expect(rateLimitDelay(1000, 3, undefined, () => 1)).toBe(4000);
    expect(rateLimitDelay(1000, 30, undefined, () => 1)).toBe(60_000);
  });
});

describe('planRateLimitWait', () => {
  it('tallies the waits in the job and says so in the message', () => {
    const first = planRateLimitWait(undefined, config, 1000, () => 0);
    expect(first).toMatchObject({ waitMs: 1000, rateLimited: { count: 1, waitedMs: 1000 } });
    expect(first?.message).toBe(
      "Rate limited (429, Retry-After 1.0 s): waiting 1.0 s before trying again, no attempt spent (waited 1.0 s of this push's 10.0 s for rate limits).",
    );
    const second = planRateLimitWait({ count: 1, waitedMs: 1000 }, config, undefined, () => 0);
    expect(second).toMatchObject({ waitMs: 1000, rateLimited: { count: 2, waitedMs: 2000 } });
    expect(second?.message).toMatch(/no Retry-After/);
  });

  it('is null once the budget would be exceeded, so the 429 spends an attempt', () => {
    expect(planRateLimitWait({ count: 5, waitedMs: 9500 }, config, 1000)).toBeNull();
    const none = loadConfig({ PROVISIM_RATE_LIMIT_MAX_WAIT_MS: '0' });
    expect(planRateLimitWait(undefined, none, 1000)).toBeNull();
  });
});
