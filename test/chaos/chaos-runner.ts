import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ChaosRedis, ChaosStack } from './chaos-stack.ts';
import {
  type FaultKind,
  type GenerateOptions,
  generateHistory,
  type History,
  withoutSteps,
} from './history.ts';
import { runHistory } from './run-history.ts';

export interface ChaosOptions extends GenerateOptions {
  histories: number;
  /** Seed of the first history; history i uses seed + i. */
  seed: number;
  /** Re-runs spent looking for a smaller failing history. */
  shrinkRuns?: number;
  /** Histories to run instead of generated ones (a replay). */
  replay?: History[];
  /** Stop at the first failing history (after shrinking it). */
  stopOnFailure?: boolean;
  /** provisim's Redis: its own embedded one (the default), or a local Redis Cluster of 3 masters. */
  redis?: ChaosRedis;
}

export interface ChaosFailure {
  history: History;
  minimal: History;
  violations: string[];
  file: string;
}

export interface ChaosReport {
  histories: number;
  steps: number;
  faults: Partial<Record<FaultKind, number>>;
  violations: number;
  failures: ChaosFailure[];
  durationMs: number;
}

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/chaos');

/**
 * Runs random histories against one real stack, checking every invariant after each; a failing history
 * is shrunk (faults, then steps, dropped while it still fails) and written out to replay.
 */
export async function runChaos(options: ChaosOptions, say: (line: string) => void): Promise<ChaosReport> {
  const started = Date.now();
  const stack = new ChaosStack(options.redis);
  await stack.start();
  const report: ChaosReport = {
    histories: 0,
    steps: 0,
    faults: {},
    violations: 0,
    failures: [],
    durationMs: 0,
  };
  try {
    const count = options.replay?.length ?? options.histories;
    for (let i = 0; i < count; i++) {
      const history = options.replay?.[i] ?? generateHistory(options.seed + i, options);
      const result = await runHistory(stack, history);
      report.histories += 1;
      report.steps += result.steps;
      report.violations += result.violations.length;
      say(
        `history ${i + 1}/${count} seed ${history.seed}: ${result.steps} steps, faults ${history.faults.map((f) => f.kind).join(', ')}, ${result.violations.length} violations`,
      );
      if (result.violations.length === 0) continue;
      for (const v of result.violations) say(`  ✗ ${v}`);
      for (const story of result.stories) say(`  ${story}`);
      const minimal = await shrink(stack, history, options.shrinkRuns ?? 6, say);
      const file = resolve(ARTIFACTS, `failure-${history.seed}.json`);
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(file, `${JSON.stringify(minimal, null, 2)}\n`);
      say(
        `seed ${history.seed} fails; smallest failing history found (${file}):\n${JSON.stringify(minimal)}`,
      );
      say(
        `replay: npm run chaos -- --replay ${file}   (or the whole history: npm run chaos -- --seed ${history.seed} --histories 1)`,
      );
      report.failures.push({ history, minimal, violations: result.violations, file });
      if (options.stopOnFailure) break;
    }
  } finally {
    for (const [kind, n] of stack.injected) report.faults[kind] = n;
    await stack.stop();
    report.durationMs = Date.now() - started;
  }
  return report;
}

/** Drops faults, then halves and single steps of each admin, keeping each cut that still fails. */
async function shrink(stack: ChaosStack, history: History, runs: number, say: (line: string) => void) {
  let smallest = history;
  let left = runs;
  const fails = async (candidate: History) => {
    if (left <= 0) return false;
    left -= 1;
    const { violations } = await runHistory(stack, candidate);
    say(
      `  shrink: ${candidate.admins.flat().length} steps, ${candidate.faults.length} faults -> ${violations.length} violations`,
    );
    return violations.length > 0;
  };
  for (let f = smallest.faults.length - 1; f >= 0 && left > 0; f--) {
    const candidate = { ...smallest, faults: smallest.faults.filter((_, i) => i !== f) };
    if (await fails(candidate)) smallest = candidate;
  }
  for (let a = 0; a < smallest.admins.length && left > 0; a++) {
    const steps = smallest.admins[a]?.length ?? 0;
    for (const [from, to] of [
      [Math.floor(steps / 2), steps],
      [0, Math.floor(steps / 2)],
    ] as const) {
      const candidate = withoutSteps(smallest, (admin, index) => admin !== a || index < from || index >= to);
      if (left > 0 && (await fails(candidate))) smallest = candidate;
    }
  }
  return smallest;
}
