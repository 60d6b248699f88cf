import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { Lifecycle } from '../../shared/src/provisioning/lifecycle.ts';
import { Committer } from '../../shared/src/provisioning/transition.ts';
import { createRedis, type RedisClient } from '../../shared/src/redis/connection.ts';
import { newId } from '../../shared/src/store/ids.ts';
import { type StoreKeys, storeKeys } from '../../shared/src/store/keys.ts';
import { ProvisioningLog } from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { PushQueues } from '../../shared/src/store/push-queues.ts';
import { createStores, type Stores } from '../../shared/src/store/stores.ts';
import type { Task } from '../../shared/src/types/task.schema.ts';
import { testRedisUrl, uniquePrefix } from './redis.ts';

export interface LifecycleHarness {
  redis: RedisClient;
  stores: Stores;
  queues: PushQueues;
  lifecycle: Lifecycle;
}

/**
 * A Lifecycle of its own on a real Redis, opened before the file's tests and closed after them:
 * `where()` names the Redis and key prefix (read in beforeAll, so it may come from a started stack).
 */
export function useLifecycle(
  where: () => { redisUrl: string; keyPrefix: string },
  storesRedis?: () => RedisClient,
): () => LifecycleHarness {
  let harness: LifecycleHarness | undefined;
  beforeAll(() => {
    const { redisUrl, keyPrefix } = where();
    const config = loadConfig({ REDIS_URL: redisUrl, PROVISIM_KEY_PREFIX: keyPrefix });
    const redis = createRedis(redisUrl, 'worker');
    const stores = createStores(storesRedis?.() ?? redis, config);
    const logger = createLogger('lifecycle-test', 'silent');
    const queues = new PushQueues(config, redis, logger);
    harness = { redis, stores, queues, lifecycle: new Lifecycle(stores, queues, logger) };
  });
  afterAll(async () => {
    await harness?.queues.close();
    await harness?.redis.quit();
  });
  return () => {
    if (!harness) throw new Error('the lifecycle harness opens in beforeAll: use it inside a test');
    return harness;
  };
}

/** A create task for `userId` of `appId` (userName `<userId>@x.test`), in `status`. */
export const createTask = (
  appId: string,
  userId: string,
  status: Task['status'],
  overrides: Partial<Task> = {},
): Task => ({
  id: newId(),
  appId,
  userId,
  action: 'create',
  status,
  approvalKind: 'create',
  createdAt: new Date().toISOString(),
  method: 'POST',
  preview: resourceOf(userId),
  resource: resourceOf(userId),
  groups: [],
  ...overrides,
});

const resourceOf = (userId: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `${userId}@x.test`,
  active: true,
});

/** The users whose push the app's queue holds (waiting or delayed), once per job that holds them, sorted. */
export async function usersInPushQueue(queues: PushQueues, appId: string): Promise<string[]> {
  const jobs = await queues.queue(appId).getJobs(['waiting', 'delayed', 'prioritized', 'paused']);
  return jobs.flatMap((job) => job.data.userIds).sort();
}

/** A Redis connection, fresh store keys and a committer on them (and its log): for tests of transitions themselves. */
export interface CommitHarness {
  redis: Redis;
  keys: StoreKeys;
  log: ProvisioningLog;
  committer: Committer;
}

export function useCommitter(label: string): () => CommitHarness {
  let harness: CommitHarness | undefined;
  beforeAll(() => {
    const redis = new Redis(testRedisUrl());
    const keyPrefix = uniquePrefix(label);
    const retention = { maxCount: 1000, maxAgeMs: 86_400_000 };
    const log = new ProvisioningLog({ redis, keyPrefix, retention });
    harness = { redis, keys: storeKeys(keyPrefix), log, committer: new Committer(redis, log) };
  });
  afterAll(async () => {
    await harness?.redis.quit();
  });
  return () => {
    if (!harness) throw new Error('the commit harness opens in beforeAll: use it inside a test');
    return harness;
  };
}
