import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../shared/src/redis/embedded-redis.ts';

let redis: EmbeddedRedis | undefined;
let dataDir: string | undefined;

/** One embedded redis-server for the whole suite (the same path `npm start` takes); tests isolate by key prefix. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'provisim-test-redis-'));
  redis = await startEmbeddedRedis({
    dataDir,
    appendfsync: 'everysec',
    logger: createLogger('test-redis', 'warn'),
  });
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
