import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger/logger.ts';
import { createRedis } from './connection.ts';
import { startEmbeddedRedis } from './embedded-redis.ts';

describe('embedded redis-server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('persists writes across a SIGKILL, restarting on the same port', async () => {
    const redis = await startEmbeddedRedis({
      dataDir,
      appendfsync: 'always',
      logger: createLogger('t', 'silent'),
    });
    const client = createRedis(redis.url, 'worker');
    client.on('error', () => {}); // the kill below resets the connection; ioredis reconnects
    try {
      await client.set('durable', 'yes');
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      const firstPid = redis.pid();
      process.kill(firstPid ?? 0, 'SIGKILL');
      expect(await client.get('durable')).toBe('yes');
      expect(redis.pid()).not.toBe(firstPid);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });
});
