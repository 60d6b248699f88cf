import { expect } from 'vitest';
import { type ChaosOptions, runChaos } from './chaos-runner.ts';

/** Runs the histories, printing each, and fails naming every history that broke an invariant. */
export async function expectNoViolations(label: string, options: ChaosOptions): Promise<void> {
  const report = await runChaos(options, (line) => console.log(line));
  console.log(
    `${label}: ${report.histories} histories, faults ${JSON.stringify(report.faults)}, ${report.violations} violations`,
  );
  expect(report.failures.map((f) => ({ seed: f.history.seed, violations: f.violations }))).toEqual([]);
}
