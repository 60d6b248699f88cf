import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createTarget } from '../scim-target/src/target.ts';
import { createApp } from '../server/src/app.ts';
import { resolveAdminToken } from '../shared/src/config/admin-token.ts';
import type { Config } from '../shared/src/config/env.ts';
import { type Listening, listen } from '../shared/src/http/listen.ts';
import type { Logger } from '../shared/src/logger/logger.ts';
import type { RedisClient } from '../shared/src/redis/connection.ts';
import { createRedis } from '../shared/src/redis/connection.ts';
import {
  type EmbeddedRedis,
  embeddedRedisUrlFile,
  freeLoopbackPort,
  startEmbeddedRedis,
} from '../shared/src/redis/embedded-redis.ts';
import { scheduleLogRetention } from '../shared/src/store/provisioning-log/log-retention.ts';
import { createStores } from '../shared/src/store/stores.ts';
import { startWorkers } from '../worker/src/boot-workers.ts';
import { type SupervisedTarget, superviseTarget } from './target-supervisor.ts';

export interface ProvisimRuntime {
  apiUrl: string;
  targetUrl: string | null;
  adminToken: string;
  adminTokenGenerated: boolean;
  redisUrl: string;
  embeddedRedis: EmbeddedRedis | null;
  /** Ordered shutdown: API stops accepting, workers drain, connections close, embedded Redis stops last. */
  stop(): Promise<void>;
}

/** How often the API process trims the provisioning log to PROVISIM_LOG_RETENTION_COUNT / _DAYS. */
const LOG_RETENTION_INTERVAL_MS = 60_000;

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export interface StartOptions {
  /**
   * Run the built-in target as a supervised child process (what `npm start` does), so that a request
   * that kills it never takes the API and workers down; otherwise it serves from this process.
   */
  targetInChildProcess?: boolean;
}

/** Starts everything `npm start` runs: RedisClient (embedded unless REDIS_URL), the built-in target, the API with the UI, workers. */
export async function startProvisim(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<ProvisimRuntime> {
  const embeddedRedis = config.REDIS_URL
    ? null
    : await startEmbeddedRedis({
        dataDir: config.PROVISIM_DATA_DIR,
        appendfsync: config.PROVISIM_REDIS_APPENDFSYNC,
        logger: logger.child({ part: 'redis' }),
      });
  const redisUrl = config.REDIS_URL ?? (embeddedRedis as EmbeddedRedis).url;
  if (embeddedRedis) writeFileSync(embeddedRedisUrlFile(config.PROVISIM_DATA_DIR), `${redisUrl}\n`);
  const { token: adminToken, generated } = resolveAdminToken(config);
  const redis: RedisClient = createRedis(redisUrl, 'api');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  // The API's connection fails fast while not ready; serve nothing until it is.
  if (redis.status !== 'ready') await once(redis, 'ready');

  let targetListening: Listening | null = null;
  let targetChild: SupervisedTarget | null = null;
  let targetUrl: string | null = null;
  const mounts = [];
  if (config.PROVISIM_START_TARGET) {
    const targetLogger = logger.child({ part: 'target' });
    const target = createTarget({
      redis,
      keyPrefix: config.PROVISIM_KEY_PREFIX,
      adminToken,
      logger: targetLogger,
      publicBaseUrl: () => targetUrl ?? '',
    });
    if (options.targetInChildProcess) {
      // A fixed port, so that the SCIM base URLs stay valid across restarts.
      const port = config.TARGET_PORT || (await freeLoopbackPort());
      targetChild = await superviseTarget({ config, redisUrl, adminToken, port, logger: targetLogger });
      targetUrl = urlOf(config.HOST, port);
    } else {
      targetListening = await listen(target.app, config.HOST, config.TARGET_PORT);
      targetUrl = urlOf(config.HOST, targetListening.port);
    }
    // The management API is served by the API process as well (it only reads and writes Redis).
    mounts.push({ path: '/target-api', handler: target.managementRouter, auth: true });
  }

  const api = createApp({ config, redis, adminToken, logger: logger.child({ part: 'api' }), mounts });
  const workers = config.PROVISIM_IN_PROCESS_WORKERS
    ? await startWorkers({ config, redisUrl, logger: logger.child({ part: 'worker' }) })
    : null;
  const apiListening = await listen(api.app, config.HOST, config.PORT);
  const stopRetention = scheduleLogRetention(
    createStores(redis, config).log,
    LOG_RETENTION_INTERVAL_MS,
    (err) => logger.warn({ err }, 'provisioning log retention failed'),
  );

  const stop = async () => {
    stopRetention();
    await apiListening.close();
    await targetListening?.close();
    await targetChild?.stop();
    await workers?.close();
    await api.close();
    await redis.quit().catch(() => redis.disconnect());
    await embeddedRedis?.stop();
  };

  return {
    apiUrl: urlOf(config.HOST, apiListening.port),
    targetUrl,
    adminToken,
    adminTokenGenerated: generated,
    redisUrl,
    embeddedRedis,
    stop,
  };
}
