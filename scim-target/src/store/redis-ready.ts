import type { RedisClient } from '../../../shared/src/redis/connection.ts';

/** Resolves once the connection is ready: the API role has no offline queue, so earlier commands would fail. */
export function redisReady(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}
