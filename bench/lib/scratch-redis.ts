import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { startEmbeddedRedis } from '../../shared/src/redis/embedded-redis.ts';

/**
 * Runs `work` against a fresh embedded Redis of its own (its data folder a temporary one, no fsync),
 * then stops it and removes its folder.
 */
export async function withScratchRedis<T>(name: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `provisim-${name}-`));
  try {
    const embedded = await startEmbeddedRedis({
      dataDir,
      appendfsync: 'no',
      logger: createLogger(name, 'warn'),
    });
    const redis = new Redis(embedded.url);
    try {
      return await work(redis);
    } finally {
      await redis.quit().catch(() => redis.disconnect());
      await embedded.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
