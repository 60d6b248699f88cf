import { describe, expect, it } from 'vitest';
import { runChaos } from '../chaos/chaos-runner.ts';

/**
 * A short chaos run with provisim on a Redis Cluster of 3 masters: fixed-seed histories whose faults
 * include killing one master mid-history (its supervisor restarts it from its append-only file).
 */
describe('chaos on a Redis Cluster: random admin histories with faults, every invariant checked', () => {
  it('breaks no invariant', async () => {
    const report = await runChaos(
      {
        histories: 2,
        seed: 9300,
        users: 10,
        steps: 8,
        doubleClick: 0.8,
        faultPlans: [
          ['kill-redis', 'target-429'],
          ['kill-worker', 'kill-redis'],
        ],
        shrinkRuns: 0,
        redis: 'cluster',
      },
      (line) => console.log(line),
    );
    console.log(
      `chaos (cluster): ${report.histories} histories, faults ${JSON.stringify(report.faults)}, ${report.violations} violations`,
    );
    expect(report.failures.map((f) => ({ seed: f.history.seed, violations: f.violations }))).toEqual([]);
  }, 600_000);
});
