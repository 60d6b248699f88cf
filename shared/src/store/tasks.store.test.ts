import { beforeAll, describe, expect, it } from 'vitest';
import { createTask, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { Transition } from '../provisioning/transition.ts';
import type { Task } from '../types/task.schema.ts';
import { TasksStore } from './tasks.store.ts';

describe('TasksStore: a task stored through a transition reads back whole', () => {
  const harness = useCommitter('tasks');
  const appId = 'app-1';
  let tasks: TasksStore;

  beforeAll(() => {
    tasks = new TasksStore(harness().redis, harness().keys);
  });

  const save = (task: Task) =>
    harness().committer.commit(new Transition(harness().keys, appId).saveTask(task));

  it('keeps a create whose preview is its resource once, and reads the preview back', async () => {
    const create = createTask(appId, 'u1', 'pending');
    await save(create);
    const { redis, keys } = harness();
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
    const { redis, keys } = harness();
    await redis.set(keys.task(appId, before.id), JSON.stringify(before));
    expect(await tasks.get(appId, before.id)).toEqual(before);
  });
});
