import { beforeAll, describe, expect, it } from 'vitest';
import { createTask, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { Transition } from '../provisioning/transition.ts';
import type { Task } from '../types/task.schema.ts';
import { newId } from './ids.ts';
import { decodeTask } from './task-codec.ts';
import { TasksStore } from './tasks.store.ts';

/** A done task as the codec before its status's code and its times as numbers wrote it (9b884b0). */
const COMPACT_WITHOUT_ID =
  'succeeded UQPG\u001d$J\r!6Z\u0005\u0006_\u00102b2\u0018\fV#9Jj\u0011\u0019|\u0006b\u0018\u001e`W-.JBBWI\u0016KH\u0010Zi\u0004A\u0004\\\u0015P,eC\t@\u0000';

const OLD_FORM =
  'succeeded AAWT\u000b:\nQ1\u0015J\u0014UjS\u0019B\\6)\n\u0016U1\\h#\u0015\u0013pH\u0016\n:\u0003"\u0012\u001d\u0015)\u0012C4,.A!Wd\fXLF\u0003\u0015Hn2ZD&?\u0001XF\u0007N\u0015\u001b+RPPUr%Rr\u0004\u0016\u0007a\u0018!o\u00054\u000b\u0019\u0000cp\u0000';

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

  it("keeps a done task deflated after its status's code, and reads it back whole", async () => {
    const done = createTask(appId, 'u5', 'succeeded', {
      decidedAt: '2026-11-29T10:00:00.000Z',
      decidedBy: 'admin',
    });
    await save(done);
    const { redis, keys } = harness();
    const stored = (await redis.get(keys.task(appId, done.id))) as string;
    expect(stored.startsWith('S')).toBe(true);
    expect(stored.length).toBeLessThan(JSON.stringify(done).length / 2);
    expect(await tasks.get(appId, done.id)).toEqual(done);
  });

  it('keeps a done task without the creation time its id tells, its decision as ms after it', async () => {
    const createdAt = '2026-11-30T00:11:22.239Z';
    const fields = { decidedAt: '2026-11-30T00:11:39.777Z', decidedBy: 'admin' };
    const told = createTask(appId, 'u11', 'succeeded', {
      id: newId(Date.parse(createdAt)),
      createdAt,
      ...fields,
    });
    const untold = { ...told, id: newId(Date.parse(createdAt) + 1) };
    const { redis, keys } = harness();
    const stored = async (task: Task) => {
      await save(task);
      return (await redis.get(keys.task(appId, task.id))) as string;
    };
    const [withoutTime, withTime] = [await stored(told), await stored(untold)];
    expect(withoutTime.length).toBeLessThan(withTime.length);
    expect(await tasks.getMany(appId, [told.id, untold.id])).toEqual([told, untold]);
    // A time that would not read back as the same text is kept as it is.
    const odd = { ...told, id: newId(), createdAt: '2026-11-30T00:11:22Z', decidedAt: 'later' };
    await save(odd);
    expect(await tasks.get(appId, odd.id)).toEqual(odd);
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

  it('keeps a done task without its id and app, which its key holds', async () => {
    const done = createTask(appId, 'u10', 'succeeded', { id: 'task-with-a-long-id-of-its-own-0001' });
    await save(done);
    const { redis, keys } = harness();
    const stored = (await redis.get(keys.task(appId, done.id))) as string;
    // Read under another key, it takes that key's id and app: they are not in what is stored.
    expect(decodeTask(stored, { appId: 'app-2', id: 'other' })).toEqual({
      ...done,
      appId: 'app-2',
      id: 'other',
    });
    expect(await tasks.get(appId, done.id)).toEqual(done);
    expect(await tasks.getMany(appId, [done.id])).toEqual([done]);
  });

  it('reads a done task stored compact with its id and app, as they were before', async () => {
    const { redis, keys } = harness();
    const before = doneTaskBefore();
    // Written by the task codec of before (main at 8e70590), byte for byte.
    await redis.set(keys.task(appId, before.id), OLD_FORM);
    expect(await tasks.get(appId, before.id)).toEqual(before);
  });

  it('reads a done task stored after its status and a space, without its id and app, as it was before', async () => {
    const { redis, keys } = harness();
    const before = doneTaskBefore();
    await redis.set(keys.task(appId, before.id), COMPACT_WITHOUT_ID);
    expect(await tasks.get(appId, before.id)).toEqual(before);
    const stale = await harness().committer.commit(
      new Transition(keys, appId).expectTaskStatus(appId, before.id, 'queued'),
    );
    expect(stale).toEqual({ ok: false, guard: 1, found: 'succeeded' });
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

/** A done task as stored before the compact forms changed (main at 8e70590), read back in the old forms. */
function doneTaskBefore(): Task {
  return JSON.parse(
    '{"id":"0mx2ajrdg5683c28e3716","appId":"app-1","userId":"u9","action":"create","status":"succeeded","approvalKind":"create","createdAt":"2026-11-29T20:27:54.036Z","method":"POST","preview":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u9@x.test","active":true},"resource":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u9@x.test","active":true},"groups":[],"decidedAt":"2026-11-29T20:28:00.000Z","decidedBy":"admin"}',
  ) as Task;
}
