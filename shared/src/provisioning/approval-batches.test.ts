import { describe, expect, it } from 'vitest';
import { createTask, useLifecycle, usersInPushQueue } from '../../../test/support/lifecycle-harness.ts';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import type { ScimUser } from '../mapping/scim-user.ts';
import { RECORD_FIELD as F, readResource } from '../store/app-user-form.ts';
import { newId } from '../store/ids.ts';
import { encodeTask } from '../store/task-codec.ts';
import type { Task } from '../types/task.schema.ts';
import { StagedApprover } from './approve-staged.ts';
import { Committer, Transition } from './transition.ts';

const TASKS = 2500;

describe('Bulk approval (ApprovalBatches through the lifecycle)', () => {
  const harness = useLifecycle(() => ({ redisUrl: testRedisUrl(), keyPrefix: uniquePrefix('approvals') }));

  async function seedPending(appId: string, count: number, firstUser = 0): Promise<Task[]> {
    const { redis, stores } = harness();
    const tasks: Task[] = Array.from({ length: count }, (_, i) =>
      createTask(appId, `u${firstUser + i}`, 'pending', {
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
      }),
    );
    await new Committer(redis, stores.log).commitMany(
      tasks.map((task) =>
        new Transition(stores.keys, appId)
          .saveTask(task)
          .writeAppUser(appId, task.userId, { email: `${task.userId}@x.test`, pendingTaskId: task.id }),
      ),
    );
    return tasks;
  }

  it('stages every pending task at once, then materialises status, intent, events and jobs in chunks', async () => {
    const { redis, stores, queues, lifecycle } = harness();
    const appId = newId();
    const seeded = await seedPending(appId, TASKS);
    expect(await lifecycle.approvals.stage(appId, 'admin')).toBe(TASKS);
    expect(await stores.tasks.countWithStatus(appId, 'pending')).toBe(0);
    expect(await lifecycle.approvals.count(appId)).toBe(1);

    expect(await lifecycle.approvals.step(appId, 1)).toBe('progress');
    expect(await stores.tasks.countWithStatus(appId, 'queued')).toBe(1000);

    const lock = stores.keys.appApprovalsLock(appId);
    await redis.set(lock, 'another-process', 'PX', 60_000);
    expect(await lifecycle.approvals.step(appId)).toBe('locked');
    await redis.del(lock);

    expect(await lifecycle.approvals.step(appId)).toBe('done');
    expect(await lifecycle.approvals.count(appId)).toBe(0);
    expect(await stores.tasks.countWithStatus(appId, 'queued')).toBe(TASKS);
    const tasks = await stores.tasks.getMany(
      appId,
      seeded.map((t) => t.id),
    );
    expect(new Set(tasks.map((t) => `${t.status}/${t.decidedBy}`))).toEqual(new Set(['queued/admin']));
    const record = await stores.appUsers.find(appId, 'u7');
    expect(record).toMatchObject({ state: 'queued', pendingTaskId: null, intent: 'active' });
    expect(record?.intentResource?.userName).toBe('u7@x.test');

    const approved = await stores.log.query({ appId, status: 'approved' }, { limit: 1000 });
    expect(approved.items).toHaveLength(1000);
    expect(approved.items.every((e) => e.actor === 'admin')).toBe(true);
    const queuedEvents = await stores.log.query({ appId, userId: 'u7', status: 'queued' }, { limit: 10 });
    expect(queuedEvents.items.map((e) => e.taskId)).toEqual([seeded[7]?.id]);
    expect(await usersInPushQueue(queues, appId)).toEqual(seeded.map((t) => t.userId).sort());
    expect(await redis.scard(stores.keys.appOutbox(appId))).toBe(0);
  });

  it("stages a plan's tasks only: a task that became pending after the plan stays pending", async () => {
    const { redis, stores, queues, lifecycle } = harness();
    const appId = newId();
    const planned = await seedPending(appId, TASKS);
    const later = await seedPending(appId, 10, TASKS);
    const approved = await lifecycle.approveTasks(
      appId,
      [...planned.map((t) => t.id), 'not-a-task'],
      'admin',
    );
    expect(approved).toBe(TASKS);
    expect(await stores.tasks.countWithStatus(appId, 'pending')).toBe(later.length);
    await expect.poll(() => lifecycle.approvals.count(appId), { timeout: 60_000 }).toBe(0);
    expect(await stores.tasks.countWithStatus(appId, 'queued')).toBe(TASKS);
    const tasks = await stores.tasks.getMany(
      appId,
      [...planned, ...later].map((t) => t.id),
    );
    expect(tasks.filter((t) => t.status === 'pending').map((t) => t.id)).toEqual(later.map((t) => t.id));
    expect(await usersInPushQueue(queues, appId)).toEqual(planned.map((t) => t.userId).sort());
    expect(await redis.exists(stores.keys.appApprovals(appId))).toBe(0);
    expect(await lifecycle.approveTasks(appId, [], 'admin')).toBe(0);
  });

  it('settles the staged tasks a change is about ahead of their batch, once', async () => {
    const { stores, queues, lifecycle } = harness();
    const appId = newId();
    const seeded = await seedPending(appId, TASKS);
    const late = seeded[TASKS - 1] as Task;
    expect(await lifecycle.approvals.settleTasks(appId, [late.id])).toBe(false);
    expect(await lifecycle.approvals.stage(appId, 'admin')).toBe(TASKS);
    expect(await lifecycle.approvals.settleTasks(appId, [late.id, 'not-a-task'])).toBe(true);
    expect((await stores.tasks.get(appId, late.id)).status).toBe('queued');
    expect((await stores.tasks.get(appId, (seeded[0] as Task).id)).status).toBe('pending');
    expect(await lifecycle.approvals.settleTasks(appId, [late.id])).toBe(false);
    expect(await lifecycle.approvals.step(appId)).toBe('done');
    expect(await stores.tasks.countWithStatus(appId, 'queued')).toBe(TASKS);
    const events = await stores.log.query({ appId, userId: late.userId }, { limit: 10 });
    expect(events.items.map((e) => e.status).sort()).toEqual(['approved', 'queued']);
    expect(await usersInPushQueue(queues, appId)).toEqual(seeded.map((t) => t.userId).sort());
  });

  it('writes what a single approval writes; a user with a queued task has it superseded, as one approval would', async () => {
    const { redis, stores, queues, lifecycle } = harness();
    const appId = newId();
    const [single, bulk, busy] = await seedPending(appId, 3);
    const older = createTask(appId, (busy as Task).userId, 'queued');
    await new Committer(redis, stores.log).commit(
      new Transition(stores.keys, appId)
        .saveTask(older)
        .writeAppUser(appId, older.userId, {}, { add: [older.id] }),
    );
    await lifecycle.approve(appId, (single as Task).id, 'admin');
    expect(await lifecycle.approvals.stage(appId, 'admin')).toBe(2);
    expect(await lifecycle.approvals.step(appId)).toBe('done');

    const hashOf = async (userId: string) => {
      const {
        [F.userId]: _u,
        [F.email]: _e,
        [F.rev]: _r,
        [F.updatedAt]: _t,
        [F.intentResource]: intent,
        ...rest
      } = await redis.hgetall(stores.keys.appUser(appId, userId));
      return { ...rest, userName: readResource(intent, userId)?.userName };
    };
    const [viaSingle, viaBulk, viaBusy] = await Promise.all(
      [single, bulk, busy].map((task) => hashOf((task as Task).userId)),
    );
    expect(viaBulk).toEqual({ ...viaSingle, userName: `${(bulk as Task).userId}@x.test` });
    expect(viaBusy).toEqual({ ...viaSingle, userName: `${(busy as Task).userId}@x.test` });
    expect(await redis.smembers(stores.keys.appUserQueued(appId, (busy as Task).userId))).toEqual([
      (busy as Task).id,
    ]);
    expect((await stores.tasks.get(appId, older.id)).status).toBe('superseded');
    const queued = await stores.tasks.getMany(
      appId,
      [single, bulk, busy].map((task) => (task as Task).id),
    );
    expect(queued.map((task) => `${task.status}/${task.decidedBy}`)).toEqual(Array(3).fill('queued/admin'));
    expect(await redis.zrange(stores.keys.appTaskStatus(appId, 'queued'), 0, -1)).toHaveLength(3);
    expect(await redis.zcard(stores.keys.appTaskStatus(appId, 'pending'))).toBe(0);
    expect(await redis.zrange(stores.keys.appState(appId, 'queued'), 0, -1)).toHaveLength(3);
    expect(await redis.zcard(stores.keys.appState(appId, 'pending'))).toBe(0);
    for (const task of [bulk, busy] as Task[]) {
      const events = await stores.log.query({ appId, userId: task.userId }, { limit: 10 });
      const ofTask = events.items.filter((e) => e.taskId === task.id);
      expect(ofTask.map((e) => `${e.status}/${e.actor ?? ''}`).sort()).toEqual(['approved/admin', 'queued/']);
    }
    expect(await usersInPushQueue(queues, appId)).toEqual(
      [single, bulk, busy].map((t) => (t as Task).userId).sort(),
    );
  });

  it('queues a task as a single approval writes it; one stored in an older form (status not first) goes the guarded way', async () => {
    const { redis, stores, lifecycle } = harness();
    const appId = newId();
    const [plain, older] = (await seedPending(appId, 2)) as [Task, Task];
    const { status, ...rest } = older;
    await redis.set(stores.keys.task(appId, older.id), JSON.stringify({ ...rest, status }));
    const approver = new StagedApprover(redis, stores.keys, stores.log);
    const decidedAt = new Date().toISOString();
    const read = await stores.tasks.getManyStored(appId, [plain.id, older.id]);
    expect(await approver.approve(appId, read, 'admin', decidedAt)).toEqual(['ok', 'busy']);
    const queued = (await redis.get(stores.keys.task(appId, plain.id))) as string;
    expect(queued).toMatch(/^\{"status":"queued","/);
    expect(JSON.parse(queued)).toEqual(
      JSON.parse(encodeTask({ ...plain, status: 'queued', decidedAt, decidedBy: 'admin' })),
    );
    expect(await stores.tasks.get(appId, plain.id)).toEqual({
      ...plain,
      status: 'queued',
      decidedAt,
      decidedBy: 'admin',
    });
    expect((await stores.tasks.get(appId, older.id)).status).toBe('pending');
    expect(await lifecycle.approvals.stage(appId, 'admin')).toBe(1);
    expect(await lifecycle.approvals.step(appId)).toBe('done');
    expect(await stores.tasks.get(appId, older.id)).toMatchObject({ status: 'queued', decidedBy: 'admin' });
  });

  it('approves tasks of one call whose record fields differ: each record takes its own groups and intent', async () => {
    const { redis, stores } = harness();
    const appId = newId();
    const tasks = [
      createTask(appId, 'g1', 'pending', { groups: ['Sales'] }),
      createTask(appId, 'g2', 'pending'),
      createTask(appId, 'g3', 'pending', { groups: ['Sales', 'Ops'] }),
    ];
    await new Committer(redis, stores.log).commitMany(
      tasks.map((task) =>
        new Transition(stores.keys, appId).saveTask(task).writeAppUser(appId, task.userId, {
          email: `${task.userId}@x.test`,
          pendingTaskId: task.id,
          // Groups a user's earlier intent held: an approval without groups removes them.
          intentGroups: ['Earlier'],
        }),
      ),
    );
    const approver = new StagedApprover(redis, stores.keys, stores.log);
    const read = await stores.tasks.getManyStored(
      appId,
      tasks.map((task) => task.id),
    );
    expect(await approver.approve(appId, read, 'admin', new Date().toISOString())).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    for (const task of tasks) {
      const record = await stores.appUsers.find(appId, task.userId);
      expect(record).toMatchObject({ state: 'queued', pendingTaskId: null, intent: 'active' });
      expect(record?.intentGroups).toEqual(task.groups);
      expect(record?.intentResource?.userName).toBe(`${task.userId}@x.test`);
    }
    expect(await redis.hexists(stores.keys.appUser(appId, 'g2'), F.intentGroups)).toBe(0);
  });

  it('an update approved in bulk over a pushed resource stored as the intent keeps the pushed one', async () => {
    const { redis, stores } = harness();
    const appId = newId();
    const pushed = createTask(appId, 'p1', 'succeeded').resource as ScimUser;
    const renamed = { ...pushed, displayName: 'Renamed' };
    const update = createTask(appId, 'p1', 'pending', {
      action: 'update',
      approvalKind: 'update',
      method: 'PUT',
      preview: renamed,
      resource: renamed,
    });
    await new Committer(redis, stores.log).commit(
      new Transition(stores.keys, appId).saveTask(update).writeAppUser(appId, 'p1', {
        email: 'p1@x.test',
        externalId: 't-1',
        intent: 'active',
        intentResource: pushed,
        pushedResource: pushed,
        pendingTaskId: update.id,
      }),
    );
    expect(await redis.hget(stores.keys.appUser(appId, 'p1'), F.pushedResource)).toBe('=');
    const approver = new StagedApprover(redis, stores.keys, stores.log);
    const read = await stores.tasks.getManyStored(appId, [update.id]);
    expect(await approver.approve(appId, read, 'admin', new Date().toISOString())).toEqual(['ok']);
    const record = await stores.appUsers.find(appId, 'p1');
    expect(record).toMatchObject({ state: 'queued', pendingTaskId: null });
    expect(record?.intentResource).toEqual(renamed);
    expect(record?.pushedResource).toEqual(pushed);
  });

  it('a batch with nothing pending is not recorded; tasks decided meanwhile are left as they are', async () => {
    const { redis, stores, queues, lifecycle } = harness();
    const appId = newId();
    expect(await lifecycle.approvals.stage(appId, 'admin')).toBe(0);
    expect(await lifecycle.approvals.count(appId)).toBe(0);

    const [first, second] = await seedPending(appId, 2);
    expect(await lifecycle.approvals.stage(appId, 'admin')).toBe(2);
    await new Committer(redis, stores.log).commit(
      new Transition(stores.keys, appId).saveTask({ ...(first as Task), status: 'superseded' }),
    );
    expect(await lifecycle.approvals.step(appId)).toBe('done');
    expect((await stores.tasks.get(appId, (first as Task).id)).status).toBe('superseded');
    expect((await stores.tasks.get(appId, (second as Task).id)).status).toBe('queued');
    expect(await usersInPushQueue(queues, appId)).toEqual([(second as Task).userId]);
  });
  it('a task read pending but done (stored deflated) when its approval runs is left as it is', async () => {
    const { redis, stores } = harness();
    const appId = newId();
    const [done, open] = (await seedPending(appId, 2)) as [Task, Task];
    const read = await stores.tasks.getManyStored(appId, [done.id, open.id]);
    await new Committer(redis, stores.log).commit(
      new Transition(stores.keys, appId).saveTask({ ...done, status: 'superseded' }),
    );
    const approver = new StagedApprover(redis, stores.keys, stores.log);
    expect(await approver.approve(appId, read, 'admin', new Date().toISOString())).toEqual(['skip', 'ok']);
    expect((await stores.tasks.get(appId, done.id)).status).toBe('superseded');
    expect((await stores.tasks.get(appId, open.id)).status).toBe('queued');
  });
});
