import type { Redis } from 'ioredis';

/** Resolves once the connection is ready: the API role has no offline queue, so earlier commands would fail. */
export function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}
