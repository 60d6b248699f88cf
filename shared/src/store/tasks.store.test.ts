import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../../test/support/lifecycle-harness.ts';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { Committer, Transition } from '../provisioning/transition.ts';
import type { Task } from '../types/task.schema.ts';
import { storeKeys } from './keys.ts';
import { ProvisioningLog } from './provisioning-log/provisioning-log.ts';
import { TasksStore } from './tasks.store.ts';

describe('TasksStore: a task stored through a transition reads back whole', () => {
  let redis: Redis;
  let tasks: TasksStore;
  let committer: Committer;
  let keys: ReturnType<typeof storeKeys>;
  const appId = 'app-1';

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
    const prefix = uniquePrefix('tasks');
    keys = storeKeys(prefix);
    tasks = new TasksStore(redis, keys);
    const retention = { maxCount: 1000, maxAgeMs: 86_400_000 };
    committer = new Committer(redis, new ProvisioningLog({ redis, keyPrefix: prefix, retention }));
  });

  afterAll(async () => {
    await redis.quit();
  });

  const save = (task: Task) => committer.commit(new Transition(keys, appId).saveTask(task));

  it('keeps a create whose preview is its resource once, and reads the preview back', async () => {
    const create = createTask(appId, 'u1', 'pending');
    await save(create);
    const stored = (await redis.get(keys.task(appId, create.id))) as string;
    expect(stored.match(/u1@x\.test/g)).toHaveLength(1);
    expect(await tasks.get(appId, create.id)).toEqual(create);
  });

  it('keeps a preview that differs from the resource (a PATCH message, a DELETE) as it is', async () => {
    const patch = createTask(appId, 'u2', 'queued', {
      action: 'update',
      method: 'PATCH',
      preview: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      },
    });
    const remove = createTask(appId, 'u3', 'queued', { action: 'delete', method: 'DELETE', preview: null });
    await save(patch);
    await save(remove);
    expect(await tasks.getMany(appId, [patch.id, remove.id])).toEqual([patch, remove]);
  });

  it('reads a task stored whole, as tasks were before', async () => {
    const before = createTask(appId, 'u4', 'succeeded');
    await redis.set(keys.task(appId, before.id), JSON.stringify(before));
    expect(await tasks.get(appId, before.id)).toEqual(before);
  });
});
