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

  it('keeps a done task deflated after its status, and reads it back whole', async () => {
    const done = createTask(appId, 'u5', 'succeeded', {
      decidedAt: '2026-11-29T10:00:00.000Z',
      decidedBy: 'admin',
    });
    await save(done);
    const { redis, keys } = harness();
    const stored = (await redis.get(keys.task(appId, done.id))) as string;
    expect(stored.startsWith('succeeded ')).toBe(true);
    expect(stored.length).toBeLessThan(JSON.stringify(done).length / 2);
    expect(await tasks.get(appId, done.id)).toEqual(done);
  });

  it("guards on a done task's status without inflating it (commit.lua reads it before the space)", async () => {
    const failed = createTask(appId, 'u6', 'failed', { error: 'Push failed: 500' });
    await save(failed);
    const { committer, keys } = harness();
    const stale = await committer.commit(
      new Transition(keys, appId).expectTaskStatus(appId, failed.id, 'queued'),
    );
    expect(stale).toEqual({ ok: false, guard: 1, found: 'failed' });
    const retried = { ...failed, status: 'queued' as const };
    const retry = new Transition(keys, appId).expectTaskStatus(appId, failed.id, 'failed').saveTask(retried);
    expect((await committer.commit(retry)).ok).toBe(true);
    expect(await tasks.get(appId, failed.id)).toEqual(retried);
    expect(await tasks.idsWithStatus(appId, 'failed')).not.toContain(failed.id);
  });

  it('reads a task stored whole, as tasks were before', async () => {
    const before = createTask(appId, 'u4', 'succeeded');
    const { redis, keys } = harness();
    await redis.set(keys.task(appId, before.id), JSON.stringify(before));
    expect(await tasks.get(appId, before.id)).toEqual(before);
  });

  it('stores a task in the lifecycle with its status first, and guards on one stored before that too', async () => {
    const pending = createTask(appId, 'u7', 'pending');
    await save(pending);
    const { redis, keys, committer } = harness();
    expect(await redis.get(keys.task(appId, pending.id))).toMatch(/^\{"status":"pending","id":/);
    const before = createTask(appId, 'u8', 'queued');
    await redis.set(keys.task(appId, before.id), JSON.stringify(before));
    expect(JSON.stringify(before).startsWith('{"status"')).toBe(false);
    const stale = await committer.commit(
      new Transition(keys, appId).expectTaskStatus(appId, before.id, 'pending'),
    );
    expect(stale).toEqual({ ok: false, guard: 1, found: 'queued' });
  });
});
