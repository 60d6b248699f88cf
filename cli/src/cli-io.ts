import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Config } from '../../shared/src/config/env.ts';
import type { Logger } from '../../shared/src/logger/logger.ts';

/** Exit codes of every command (README, "Use in CI"). */
export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

/** Bad usage or bad input: exit 2 with a message naming the flag, or the file and its line. */
export class UsageError extends Error {}

/** A provisim running in this process, as an embedded instance needs it. */
export interface EmbeddedProvisim {
  apiUrl: string;
  targetUrl: string | null;
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * Starts what `npm start` runs in this process. The launcher hands it in, so that the CLI imports no
 * other part (and commands against --api load none of the server's modules).
 */
export type StartEmbedded = (config: Config, logger: Logger) => Promise<EmbeddedProvisim>;

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  startEmbedded: StartEmbedded;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--flag value` as `--flag=value` for every flag that takes a value: tokens are random and may begin
 * with `-`, which strict parseArgs would otherwise refuse as an ambiguous argument.
 */
function joinFlagValues(args: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    const value = args[i + 1];
    if (name && options[name]?.type === 'string' && value !== undefined) {
      joined.push(`${arg}=${value}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** util.parseArgs, strict, with its errors as UsageError (they name the flag). */
export function parseFlags<O extends Options>(args: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({
      args: joinFlagValues(args, options),
      options,
      allowPositionals: positionals > 0,
      strict: true,
    });
    if (parsed.positionals.length > positionals)
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    throw new UsageError(message ?? 'bad arguments');
  }
}

/** The flags that point a command at a running provisim instead of an embedded one. */
export const INSTANCE_FLAGS = {
  api: { type: 'string' },
  'admin-token': { type: 'string' },
} as const satisfies Options;

/** A whole number of seconds from a flag, as milliseconds. */
export function secondsFlag(name: string, value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    throw new UsageError(`--${name}: "${value}" is not a number of seconds between 1 and 3600`);
  return Math.round(seconds * 1000);
}

export const required = (name: string, value: string | undefined): string => {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
};
