import type { RedisClient } from '../redis/connection.ts';
import { storeKeys } from './keys.ts';

/**
 * A worker process counts as live while its heartbeat is younger than this; it beats every
 * HEARTBEAT_MS, so a killed process stops being counted within HEARTBEAT_TTL_MS.
 */
export const HEARTBEAT_MS = 1000;
export const HEARTBEAT_TTL_MS = 3500;

export function writeHeartbeat(redis: RedisClient, keyPrefix: string, processId: string): Promise<unknown> {
  const key = storeKeys(keyPrefix).workers;
  const now = Date.now();
  return redis
    .multi()
    .zadd(key, now, processId)
    .zremrangebyscore(key, '-inf', now - HEARTBEAT_TTL_MS)
    .exec();
}

export function removeHeartbeat(redis: RedisClient, keyPrefix: string, processId: string): Promise<unknown> {
  return redis.zrem(storeKeys(keyPrefix).workers, processId);
}

export function liveWorkers(redis: RedisClient, keyPrefix: string): Promise<number> {
  return redis.zcount(storeKeys(keyPrefix).workers, Date.now() - HEARTBEAT_TTL_MS, '+inf');
}
