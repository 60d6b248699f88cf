import { describe, it } from 'vitest';
import { expectNoViolations } from '../chaos/expect-no-violations.ts';

/**
 * A short chaos run with provisim on a Redis Cluster of 3 masters: fixed-seed histories whose faults
 * include killing one master mid-history (its supervisor restarts it from its append-only file).
 */
describe('chaos on a Redis Cluster: random admin histories with faults, every invariant checked', () => {
  it('breaks no invariant', async () => {
    await expectNoViolations('chaos (cluster)', {
      histories: 3,
      seed: 9300,
      users: 10,
      steps: 8,
      doubleClick: 0.8,
      faultPlans: [
        ['kill-redis', 'target-429'],
        ['kill-worker', 'kill-redis'],
        ['kill-product', 'kill-redis'],
      ],
      shrinkRuns: 0,
      redis: 'cluster',
    });
  }, 600_000);
});
