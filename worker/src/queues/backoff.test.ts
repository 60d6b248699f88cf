import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pushBackoff } from './backoff.ts';

describe('pushBackoff', () => {
  it('grows exponentially with jitter between half and all of the step, never before Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (base, attemptsMade, retryAfter, r) => {
          const step = Math.min(base * 2 ** (attemptsMade - 1), 600_000);
          const delay = pushBackoff(base, attemptsMade, retryAfter, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.max(Math.floor(step / 2), retryAfter ?? 0));
          expect(delay).toBeLessThanOrEqual(Math.max(step, retryAfter ?? 0));
        },
      ),
    );
  });
});
