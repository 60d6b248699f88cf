import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../../shared/src/config/env.ts';
import type { Logger } from '../../shared/src/logger/logger.ts';
import { createRedis } from '../../shared/src/redis/connection.ts';
import { createStores } from '../../shared/src/store/stores.ts';
import { HEARTBEAT_MS, removeHeartbeat, writeHeartbeat } from '../../shared/src/store/worker-heartbeat.ts';
import { AppWorkers } from './queues/app-workers.ts';

/** Runs push workers for every app's queue and a heartbeat for /api/health; `close()` drains in-flight jobs. */
export async function startWorkers(deps: {
  config: Config;
  redisUrl: string;
  logger: Logger;
}): Promise<{ close(): Promise<void> }> {
  const { config, redisUrl, logger } = deps;
  const connection = createRedis(redisUrl, 'worker');
  const subscriber = createRedis(redisUrl, 'worker');
  // The stores' own connection: BullMQ defines ~50 scripts on the one it is given, and ioredis copies
  // every defined script onto each pipeline, which made each push job's transactions costly to build.
  const storesConnection = createRedis(redisUrl, 'worker');
  for (const conn of [connection, subscriber, storesConnection])
    conn.on('error', (err) => logger.warn({ err: err.message }, 'worker redis error'));
  const stores = createStores(storesConnection, config);
  const processId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const beat = () => writeHeartbeat(connection, config.PROVISIM_KEY_PREFIX, processId).catch(() => undefined);
  await beat();
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  const workers = new AppWorkers({ config, stores, connection, subscriber, logger });
  await workers.start();
  logger.info({ processId }, 'push workers started');

  return {
    async close() {
      clearInterval(heartbeat);
      await workers.close();
      await removeHeartbeat(connection, config.PROVISIM_KEY_PREFIX, processId).catch(() => undefined);
      for (const conn of [subscriber, storesConnection, connection])
        await conn.quit().catch(() => conn.disconnect());
    },
  };
}
