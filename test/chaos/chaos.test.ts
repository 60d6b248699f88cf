import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos-runner.ts';

/**
 * The short budget `npm test` runs: four fixed-seed histories (a failure replays), with more users and
 * more double-clicked assigns than the long run's, and every kind of process kill among their faults.
 * `npm run chaos` runs long.
 */
describe('chaos: random admin histories with faults, every lifecycle invariant checked', () => {
  it('breaks no invariant', async () => {
    const report = await runChaos(
      {
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
      },
      (line) => console.log(line),
    );
    console.log(
      `chaos: ${report.histories} histories, faults ${JSON.stringify(report.faults)}, ${report.violations} violations`,
    );
    expect(report.failures.map((f) => ({ seed: f.history.seed, violations: f.violations }))).toEqual([]);
  }, 600_000);
});
