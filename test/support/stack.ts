import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProvisim } from '../../launcher/runtime.ts';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { testRedisUrl, uniquePrefix } from './redis.ts';

export interface TestStack {
  apiUrl: string;
  targetUrl: string;
  adminToken: string;
  keyPrefix: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/**
 * The whole of `npm start` — API serving web/dist, in-process workers, built-in target — on free
 * loopback ports, against the suite's Redis under a key prefix of its own.
 */
export async function startStack(options: { env?: Record<string, string> } = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-stack-'));
  const keyPrefix = uniquePrefix('stack');
  const config = loadConfig({
    REDIS_URL: testRedisUrl(),
    PROVISIM_KEY_PREFIX: keyPrefix,
    PROVISIM_DATA_DIR: dataDir,
    PROVISIM_ADMIN_TOKEN: randomBytes(18).toString('base64url'),
    PORT: '0',
    TARGET_PORT: '0',
    PROVISIM_RETRY_BASE_MS: '50',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const runtime = await startProvisim(config, createLogger('test-stack', config.LOG_LEVEL));
  return {
    apiUrl: runtime.apiUrl,
    targetUrl: runtime.targetUrl ?? '',
    adminToken: runtime.adminToken,
    keyPrefix,
    redisUrl: runtime.redisUrl,
    stop: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
