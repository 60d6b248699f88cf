import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../../test/support/lifecycle-harness.ts';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { Committer, Transition } from '../provisioning/transition.ts';
import type { Task } from '../types/task.schema.ts';
import { AppUsersStore } from './app-users.store.ts';
import { storeKeys } from './keys.ts';
import { ProvisioningLog } from './provisioning-log/provisioning-log.ts';

describe('AppUsersStore.loadForPush', () => {
  let redis: Redis;
  let appUsers: AppUsersStore;
  let committer: Committer;
  let keys: ReturnType<typeof storeKeys>;
  const appId = 'app-1';

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
    const prefix = uniquePrefix('app-users');
    keys = storeKeys(prefix);
    appUsers = new AppUsersStore(redis, keys);
    const retention = { maxCount: 1000, maxAgeMs: 86_400_000 };
    committer = new Committer(redis, new ProvisioningLog({ redis, keyPrefix: prefix, retention }));
  });

  afterAll(async () => {
    await redis.quit();
  });

  const queuedTask = (userId: string): Task => createTask(appId, userId, 'queued', { groups: ['Sales'] });

  it('answers the record with its queued tasks, skipping a task whose record is gone', async () => {
    const [kept, gone] = [queuedTask('u1'), queuedTask('u1')];
    await committer.commit(
      new Transition(keys, appId)
        .saveTask(kept)
        .saveTask(gone)
        .writeAppUser(
          appId,
          'u1',
          { email: 'u1@x.test', intent: 'active', intentGroups: ['Sales'] },
          { add: [kept.id, gone.id] },
        ),
    );
    await redis.del(keys.task(gone.appId, gone.id));

    const { record, queued } = await appUsers.loadForPush(appId, 'u1');
    expect(record).toMatchObject({
      userId: 'u1',
      email: 'u1@x.test',
      state: 'queued',
      intentGroups: ['Sales'],
    });
    expect(queued).toEqual([kept]);
  });

  it('answers no record and no tasks for a user the app does not know', async () => {
    expect(await appUsers.loadForPush(appId, 'nobody')).toEqual({ record: null, queued: [] });
  });
});
