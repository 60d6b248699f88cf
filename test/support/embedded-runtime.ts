import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type ProvisimRuntime, startProvisim } from '../../launcher/runtime.ts';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { waitHealthy } from './factories.ts';

/**
 * The whole of `npm start` in this test file's process, on a fresh data folder with its own embedded
 * Redis (`appendfsync always`, so a SIGKILL of it loses no acknowledged write) and quick retries.
 * Answers a getter: the runtime exists once `beforeAll` has run.
 */
export function useEmbeddedRuntime(name: string): () => ProvisimRuntime {
  const dataDir = mkdtempSync(join(tmpdir(), `provisim-${name}-`));
  let runtime: ProvisimRuntime | undefined;

  beforeAll(async () => {
    const config = loadConfig({
      PROVISIM_DATA_DIR: dataDir,
      PROVISIM_REDIS_APPENDFSYNC: 'always',
      PROVISIM_ADMIN_TOKEN: randomBytes(18).toString('base64url'),
      PORT: '0',
      TARGET_PORT: '0',
      PROVISIM_RETRY_BASE_MS: '50',
      PROVISIM_PUSH_ATTEMPTS: '20',
      LOG_LEVEL: 'silent',
    });
    runtime = await startProvisim(config, createLogger(name, 'silent'));
    await waitHealthy(runtime.apiUrl);
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  return () => {
    if (!runtime) throw new Error('the runtime starts in beforeAll');
    return runtime;
  };
}
