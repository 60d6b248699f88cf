import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.ts';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { createRedis, type RedisClient } from '../../shared/src/redis/connection.ts';
import { startWorkers } from '../../worker/src/boot-workers.ts';
import { type Api, apiClient } from '../support/api-client.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';

const APPS = 6;
const ROUNDS = 90;

/**
 * An app's settings changed just after its worker opened (the bench's scale-out item creating apps as
 * 4 worker processes start): the worker is reopened, the first one closed a few ms after it opened.
 * BullMQ's Worker, closed while its blocking connection still initialised, disconnected it under its
 * INFO and emitted that "Connection is closed." once the Worker's listeners were gone: an unhandled
 * rejection, on which a worker process exits. On a cluster its connections take ~10 ms to be ready;
 * the pause between two changes sweeps 0-29 ms so that some closes fall in that window.
 */
describe('push workers on a Redis Cluster whose apps change settings just after they open', () => {
  const keyPrefix = uniquePrefix('reopen');
  const config = loadConfig({
    REDIS_URL: testRedisUrl(),
    PROVISIM_KEY_PREFIX: keyPrefix,
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger('worker-reopen', 'silent');
  const adminToken = 'an-admin-token-for-tests';
  const appIds: string[] = [];
  let redis: RedisClient;
  let server: Server;
  let close: () => Promise<void>;
  let api: Api;

  beforeAll(async () => {
    redis = createRedis(testRedisUrl(), 'api');
    await redis.ping().catch(async () => new Promise((r) => redis.once('ready', r)));
    const built = createApp({ config, redis, adminToken, logger });
    close = built.close;
    server = built.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    api = apiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, adminToken);
    for (let i = 0; i < APPS; i++)
      appIds.push((await api.ok('POST', '/api/apps', { connector: 'calendly', name: `App ${i}` })).id);
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await close?.();
    redis?.disconnect();
  });

  it('leave no command rejection unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const workers = await startWorkers({ config, redisUrl: testRedisUrl(), logger });
    const setConcurrency = (appId: string, concurrency: number) =>
      api.ok('PUT', `/api/apps/${appId}/provisioning`, {
        enabled: false,
        requireApproval: { create: true, update: true, delete: true },
        onDelete: 'suspend',
        onSuspend: 'suspend',
        concurrency,
      });
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const appId = appIds[round % APPS] as string;
        await setConcurrency(appId, 2);
        await new Promise((r) => setTimeout(r, round % 30));
        await setConcurrency(appId, 1);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await workers.close();
      // A connection closed under a command rejects it when its socket closes, after close() returned.
      await new Promise((r) => setTimeout(r, 1000));
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled.map(String)).toEqual([]);
  });
});
