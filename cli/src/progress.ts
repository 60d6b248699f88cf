import cliProgress from 'cli-progress';
import type { CliIo } from './cli-io.ts';

export interface Progress {
  /** One unit of work done; `line` says what. */
  tick(line: string): void;
  stop(): void;
}

/**
 * A progress bar (cli-progress) when stdout is a terminal; one plain line per unit otherwise, so CI logs
 * read top to bottom.
 */
export function createProgress(io: Pick<CliIo, 'stdout'>, total: number, label: string): Progress {
  if (!io.stdout.isTTY) {
    let done = 0;
    return {
      tick: (line) => {
        done += 1;
        io.stdout.write(`[${done}/${total}] ${line}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {line}`,
      stream: io.stdout as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { line: '' });
  return {
    tick: (line) => bar.increment(1, { line }),
    stop: () => bar.stop(),
  };
}
