import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ApiError } from '../../shared/src/api-client/http.ts';
import { createProvisimClient, type ProvisimClient } from '../../shared/src/api-client/provisim-client.ts';
import { ConfigError, loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { type StartEmbedded, UsageError } from './cli-io.ts';

export interface Instance {
  client: ProvisimClient;
  apiUrl: string;
  /** The built-in target's origin (embedded instances run it), or null. */
  targetUrl: string | null;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface InstanceFlags {
  api?: string | undefined;
  'admin-token'?: string | undefined;
}

/** A running provisim named by `--api` and `--admin-token`, checked to answer and to take the token. */
async function connect(api: string, token: string | undefined): Promise<Instance> {
  if (!/^https?:\/\/[^/]/.test(api)) throw new UsageError(`--api: "${api}" is not an http(s) URL`);
  if (!token) throw new UsageError('--admin-token is required with --api');
  const apiUrl = api.replace(/\/+$/, '');
  const client = createProvisimClient({ baseUrl: apiUrl, token });
  try {
    await client.health();
    await client.apps.all();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      throw new UsageError(`--admin-token: ${apiUrl} refused it (401)`);
    throw new UsageError(`--api: ${apiUrl} does not answer as provisim (${(error as Error).message})`);
  }
  return { client, apiUrl, targetUrl: null, embedded: false, stop: async () => {} };
}

/**
 * What `npm start` runs (`startEmbedded`, handed in by the launcher), on free loopback ports with its own embedded Redis in a
 * temporary data folder that `stop` removes. `defaults` are environment values the command prefers
 * unless the environment sets them; logs go to stderr so stdout keeps the command's report.
 */
async function embed(
  startEmbedded: StartEmbedded,
  env: NodeJS.ProcessEnv,
  defaults: Record<string, string>,
): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-cli-'));
  const { REDIS_URL: _external, ...rest } = env;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      LOG_LEVEL: 'error',
      ...defaults,
      ...rest,
      HOST: '127.0.0.1',
      PORT: '0',
      TARGET_PORT: '0',
      PROVISIM_DATA_DIR: dataDir,
      PROVISIM_ADMIN_TOKEN: randomBytes(18).toString('base64url'),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const logger = createLogger('provisim-cli', config.LOG_LEVEL, pino.destination(2));
  let runtime: Awaited<ReturnType<StartEmbedded>>;
  try {
    runtime = await startEmbedded(config, logger);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new UsageError(`could not start an embedded provisim: ${(error as Error).message}`);
  }
  return {
    client: createProvisimClient({ baseUrl: runtime.apiUrl, token: runtime.adminToken }),
    apiUrl: runtime.apiUrl,
    targetUrl: runtime.targetUrl,
    embedded: true,
    stop: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `--api URL --admin-token T`, else an embedded instance; the caller stops it (`withInstance` does). */
export function openInstance(
  flags: InstanceFlags,
  startEmbedded: StartEmbedded,
  env: NodeJS.ProcessEnv = process.env,
  defaults: Record<string, string> = {},
): Promise<Instance> {
  if (flags.api !== undefined) return connect(flags.api, flags['admin-token']);
  if (flags['admin-token'] !== undefined) throw new UsageError('--admin-token needs --api');
  return embed(startEmbedded, env, defaults);
}

/** Runs `work` against the instance the flags name and stops an embedded one afterwards, whatever happens. */
export async function withInstance<T>(
  flags: InstanceFlags,
  startEmbedded: StartEmbedded,
  work: (instance: Instance) => Promise<T>,
  defaults: Record<string, string> = {},
): Promise<T> {
  const instance = await openInstance(flags, startEmbedded, process.env, defaults);
  try {
    return await work(instance);
  } finally {
    await instance.stop();
  }
}
