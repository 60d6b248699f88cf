import { createServer, type Server } from 'node:http';
import { resolveAdminToken } from '../../shared/src/config/admin-token.ts';
import { ConfigError, loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { createRedis } from '../../shared/src/redis/connection.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../shared/src/redis/embedded-redis.ts';
import { exitOnUnexpectedError } from '../../shared/src/runtime/shutdown.ts';
import { redisReady } from './store/redis-ready.ts';
import { createTarget } from './target.ts';

/** `npm run target`: the built-in target alone, on TARGET_PORT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('target', config.LOG_LEVEL);
  exitOnUnexpectedError(logger);
  const embedded: EmbeddedRedis | undefined = config.REDIS_URL
    ? undefined
    : await startEmbeddedRedis({
        dataDir: config.PROVISIM_DATA_DIR,
        appendfsync: config.PROVISIM_REDIS_APPENDFSYNC,
        logger,
      });
  const redis = createRedis(config.REDIS_URL ?? (embedded as EmbeddedRedis).url, 'api');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await redisReady(redis);
  const { token: adminToken, generated } = resolveAdminToken(config);

  let publicBaseUrl = '';
  const { app } = createTarget({
    redis,
    keyPrefix: config.PROVISIM_KEY_PREFIX,
    adminToken,
    logger,
    publicBaseUrl: () => publicBaseUrl,
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.TARGET_PORT, config.HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.TARGET_PORT;
  publicBaseUrl = `http://${config.HOST}:${port}`;
  logger.info({ url: publicBaseUrl }, 'built-in target listening');
  // Forked by `npm start`'s supervisor: tell it we listen; it prints the addresses itself.
  const supervised = process.send !== undefined;
  if (supervised) process.send?.({ type: 'ready', port });
  else {
    console.log(`provisim target: ${publicBaseUrl}/target-api (SCIM at ${publicBaseUrl}/scim/v2/<orgId>)`);
    if (generated) console.log(`admin token generated and kept in ${config.PROVISIM_DATA_DIR}/admin-token`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'target shutting down');
    const deadline = setTimeout(() => process.exit(1), config.PROVISIM_SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await redis.quit().catch(() => redis.disconnect());
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A Ctrl-C reaches the whole process group; when supervised, the supervisor's SIGTERM stops us instead.
  process.on('SIGINT', () => (supervised ? undefined : void shutdown('SIGINT')));
  // The supervisor is gone (even by SIGKILL): do not outlive it.
  process.on('disconnect', () => void shutdown('supervisor gone'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
