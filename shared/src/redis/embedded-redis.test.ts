import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger/logger.ts';
import { createRedis } from './connection.ts';
import { freeLoopbackPorts, startEmbeddedRedis } from './embedded-redis.ts';

describe('free loopback ports', () => {
  it('chosen together are distinct, and each can be bound', async () => {
    const ports = await freeLoopbackPorts(20);
    expect(new Set(ports).size).toBe(20);
    const servers = ports.map((port) => createServer().listen(port, '127.0.0.1'));
    try {
      await Promise.all(
        servers.map((server) => new Promise((r, e) => server.once('listening', r).once('error', e))),
      );
    } finally {
      await Promise.all(servers.map((server) => new Promise((closed) => server.close(closed))));
    }
  });
});

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
