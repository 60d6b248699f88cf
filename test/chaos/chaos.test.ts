import { describe, it } from 'vitest';
import { expectNoViolations } from './expect-no-violations.ts';

/**
 * The short budget `npm test` runs: four fixed-seed histories (a failure replays), with more users and
 * more double-clicked assigns than the long run's, and every kind of process kill among their faults.
 * `npm run chaos` runs long.
 */
describe('chaos: random admin histories with faults, every lifecycle invariant checked', () => {
  it('breaks no invariant', async () => {
    await expectNoViolations('chaos', {
      histories: 4,
      seed: 9100,
      users: 12,
      steps: 8,
      doubleClick: 0.8,
      faultPlans: [
        ['kill-redis', 'target-429'],
        ['kill-worker', 'kill-redis'],
        ['target-closed', 'kill-redis'],
        ['kill-product', 'target-5xx'],
      ],
      shrinkRuns: 0,
    });
  }, 600_000);
});
