import { Redis, type RedisOptions } from 'ioredis';

/**
 * `api`: fails fast while Redis is away so requests answer 503 instead of hanging.
 * `worker`: BullMQ's requirement for blocking connections (maxRetriesPerRequest: null).
 */
export function createRedis(url: string, role: 'api' | 'worker', extra: RedisOptions = {}): Redis {
  const roleOptions: RedisOptions =
    role === 'api'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: false };
  return new Redis(url, {
    retryStrategy: (times) => Math.min(times * 100, 2000),
    ...roleOptions,
    ...extra,
  });
}
