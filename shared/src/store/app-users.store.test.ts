import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import type { Task } from '../types/task.schema.ts';
import { AppUsersStore } from './app-users.store.ts';
import { newId } from './ids.ts';
import { storeKeys } from './keys.ts';
import { TasksStore } from './tasks.store.ts';

describe('AppUsersStore.loadForPush', () => {
  let redis: Redis;
  let appUsers: AppUsersStore;
  let tasks: TasksStore;
  let keys: ReturnType<typeof storeKeys>;
  const appId = 'app-1';

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
    keys = storeKeys(uniquePrefix('app-users'));
    appUsers = new AppUsersStore(redis, keys);
    tasks = new TasksStore(redis, keys);
  });

  afterAll(async () => {
    await redis.quit();
  });

  const queuedTask = (userId: string): Task => ({
    id: newId(),
    appId,
    userId,
    action: 'create',
    status: 'queued',
    approvalKind: 'create',
    createdAt: new Date().toISOString(),
    preview: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: `${userId}@x.test`,
      active: true,
    },
    groups: ['Sales'],
  });

  it('answers the record with its queued tasks, skipping a task whose record is gone', async () => {
    const [kept, gone] = [queuedTask('u1'), queuedTask('u1')];
    const p = redis.multi();
    for (const task of [kept, gone]) {
      tasks.save(p, task, null);
      appUsers.addQueuedTask(p, appId, 'u1', task.id);
    }
    appUsers.write(p, appId, 'u1', { email: 'u1@x.test', intent: 'active', intentGroups: ['Sales'] });
    await p.exec();
    await redis.del(keys.task(gone.id));

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
