import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { embeddedRedisUrlFile } from '../../shared/src/redis/embedded-redis.ts';
import { applyCpuScheduling } from '../../shared/src/runtime/cpu-scheduling.ts';
import { configOrExit, exitOnSignals, exitOnUnexpectedError } from '../../shared/src/runtime/shutdown.ts';
import { startWorkers } from './boot-workers.ts';

const config = configOrExit(() => loadConfig());
const logger = createLogger('provisim-worker', config.LOG_LEVEL);
exitOnUnexpectedError(logger);
applyCpuScheduling(config.PROVISIM_WORKER_SCHEDULING, logger);

/** REDIS_URL, else the embedded Redis that `npm start` launched with the same data folder. */
function redisUrl(): string {
  if (config.REDIS_URL) return config.REDIS_URL;
  const file = embeddedRedisUrlFile(config.PROVISIM_DATA_DIR);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  console.error(`No Redis to work against: set REDIS_URL, or run \`npm start\` first (it writes ${file}).`);
  process.exit(1);
}

const workers = await startWorkers({ config, redisUrl: redisUrl(), logger });
exitOnSignals(workers.close, logger, config.PROVISIM_SHUTDOWN_TIMEOUT_MS);
logger.info('worker process ready');
