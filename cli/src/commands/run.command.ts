import { type CliIo, EXIT, INSTANCE_FLAGS, parseFlags, UsageError } from '../cli-io.ts';
import { withInstance } from '../instance.ts';
import { createProgress } from '../progress.ts';
import { renderJUnit } from '../report/junit.ts';
import { writeReport } from '../report/write-file.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { runScenario, type StepResult } from '../scenario/run-scenario.ts';

export const RUN_USAGE = 'provisim run SCENARIO.yaml [--junit FILE] [--api URL --admin-token T]';

const OPTIONS = { junit: { type: 'string' }, ...INSTANCE_FLAGS } as const;

const MARK = { pass: 'ok  ', fail: 'FAIL', skip: '-   ' } as const;
const lineText = (file: string, r: StepResult) =>
  `${MARK[r.status]} ${r.line ? `${file}:${r.line}` : file} ${r.title}: ${r.message}`;

/** `provisim run`: plays a scenario file and checks its expectations. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, 1);
  const file = positionals[0];
  if (!file) throw new UsageError('run needs a scenario file: provisim run SCENARIO.yaml');
  const loaded = loadScenario(file);
  const result = await withInstance(values, io.startEmbedded, async ({ client }) => {
    const progress = createProgress(io, loaded.scenario.steps.length + 1, loaded.scenario.name);
    try {
      return await runScenario(client, loaded, { onStep: (r) => progress.tick(lineText(file, r)) });
    } finally {
      progress.stop();
    }
  });
  if (io.stdout.isTTY) for (const r of result.steps) io.stdout.write(`${lineText(file, r)}\n`);
  const failed = result.steps.filter((r) => r.status === 'fail').length;
  io.stdout.write(`${result.name}: ${result.passed ? 'passed' : `${failed} step(s) failed`}\n`);
  if (values.junit)
    writeReport(
      'junit',
      values.junit,
      renderJUnit('provisim run', [
        {
          name: result.name,
          cases: result.steps.map((r) => ({
            name: r.line ? `line ${r.line}: ${r.title}` : r.title,
            classname: file,
            status: r.status,
            message: r.message,
            details: r.message,
          })),
        },
      ]),
    );
  return result.passed ? EXIT.passed : EXIT.failed;
}
