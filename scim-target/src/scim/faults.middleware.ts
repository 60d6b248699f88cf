import type { RequestHandler } from 'express';
import type { OrgRecord, TargetStore } from '../store/target-store.ts';
import { ScimError } from './scim-error.ts';

const RETRY_AFTER = { 'Retry-After': '1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** QA's faults, in order: latency, the requests-per-second limit, scripted failures, then the random error rate. */
export function faults(store: TargetStore): RequestHandler {
  return async (_req, res, next) => {
    const org = res.locals.org as OrgRecord;
    const { latencyMs, rateLimit, errorRate } = org.faults;
    if (latencyMs > 0) await sleep(latencyMs);
    if (rateLimit) {
      const count = await store.countRequest(org.id, Math.floor(Date.now() / 1000));
      if (count > rateLimit.perSecond)
        throw new ScimError(
          429,
          `Too many requests: the limit is ${rateLimit.perSecond} per second.`,
          undefined,
          RETRY_AFTER,
        );
    }
    const scripted = await store.takeFailNext(org.id);
    if (scripted !== undefined)
      throw new ScimError(
        scripted,
        `Scripted failure (failNext) answered with ${scripted}.`,
        undefined,
        scripted === 429 ? RETRY_AFTER : {},
      );
    if (errorRate > 0 && Math.random() < errorRate) throw new ScimError(500, 'Injected fault (errorRate).');
    next();
  };
}
