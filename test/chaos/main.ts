import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runChaos } from './chaos-runner.ts';
import { FAULT_KINDS, type FaultKind, type History } from './history.ts';

/** `npm run chaos -- [--histories N] [--seed S] [--faults kill-redis,target-429] [--replay file.json]` */
const { values } = parseArgs({
  options: {
    histories: { type: 'string', default: '20' },
    seed: { type: 'string' },
    faults: { type: 'string' },
    replay: { type: 'string' },
    'stop-on-failure': { type: 'boolean', default: false },
  },
});
const faultKinds = values.faults
  ? values.faults.split(',').map((kind) => {
      if (!(FAULT_KINDS as readonly string[]).includes(kind))
        throw new Error(`--faults: ${kind} is not one of ${FAULT_KINDS.join(', ')}`);
      return kind as FaultKind;
    })
  : undefined;
const seed = values.seed ? Number(values.seed) : Date.now() % 1_000_000_000;
const replay = values.replay ? [JSON.parse(readFileSync(values.replay, 'utf8')) as History] : undefined;
console.log(`chaos: seed ${seed}, ${replay ? 'replay' : `${values.histories} histories`}`);
const report = await runChaos(
  {
    histories: Number(values.histories),
    seed,
    ...(faultKinds ? { faultKinds } : {}),
    ...(replay ? { replay } : {}),
    stopOnFailure: values['stop-on-failure'],
  },
  (line) => console.log(line),
);
console.log(
  `\nchaos: ${report.histories} histories, ${report.steps} admin steps, faults ${JSON.stringify(report.faults)}, ${report.violations} violations, ${Math.round(report.durationMs / 1000)} s`,
);
process.exit(report.failures.length > 0 ? 1 : 0);
