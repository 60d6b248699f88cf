import { type CliIo, EXIT, UsageError } from './cli-io.ts';
import { COMPAT_USAGE, compatCommand } from './commands/compat.command.ts';
import { LOG_EXPORT_USAGE, logExportCommand } from './commands/log-export.command.ts';
import { RUN_USAGE, runCommand } from './commands/run.command.ts';
import { WAIT_IDLE_USAGE, waitIdleCommand } from './commands/wait-idle.command.ts';

export const USAGE = `Usage:
  provisim start                  everything \`npm start\` runs (environment as in the README)
  provisim worker                 an extra push worker process (\`npm run worker\`)
  ${COMPAT_USAGE}
  ${RUN_USAGE}
  ${WAIT_IDLE_USAGE}
  ${LOG_EXPORT_USAGE}

Without --api, a command starts its own provisim on free ports with a temporary data folder and
stops it at the end. Exit codes: 0 all passed, 1 a check failed, 2 bad usage or bad input.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  compat: compatCommand,
  run: runCommand,
  'wait-idle': waitIdleCommand,
  'log export': logExportCommand,
};

/** Runs one command to its end and answers its exit code (`start` and `worker` are served by main.ts). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    (first === undefined ? io.stderr : io.stdout).write(USAGE);
    return first === undefined ? EXIT.usage : EXIT.passed;
  }
  const twoWords = second !== undefined ? COMMANDS[`${first} ${second}`] : undefined;
  const command = twoWords ?? COMMANDS[first];
  const args = twoWords ? rest : argv.slice(1);
  try {
    if (!command) throw new UsageError(`unknown command "${[first, second].filter(Boolean).join(' ')}"`);
    if (args.includes('--help')) {
      io.stdout.write(USAGE);
      return EXIT.passed;
    }
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`provisim: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`provisim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failed;
  }
}
