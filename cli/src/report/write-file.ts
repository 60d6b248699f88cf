import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../cli-io.ts';

/** Writes a report file (making its folder); a path that cannot be written is bad input naming its flag. */
export function writeReport(flag: string, path: string, text: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(
      `--${flag}: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
}
