import { beforeAll, describe, expect, it } from 'vitest';
import { createTask, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { Transition } from '../provisioning/transition.ts';
import { AppUsersStore } from './app-users.store.ts';
import { TasksStore } from './tasks.store.ts';

describe('the app-wide indexes of users and tasks: a list, after the sorted set stores kept before', () => {
  const harness = useCommitter('write-order');
  let tasks: TasksStore;
  let appUsers: AppUsersStore;

  beforeAll(() => {
    tasks = new TasksStore(harness().redis, harness().keys);
    appUsers = new AppUsersStore(harness().redis, harness().keys);
  });

  it('lists tasks newest first and pages through both, the sorted set of before last', async () => {
    const { redis, keys, committer } = harness();
    const appId = 'app-tasks';
    const older = [1, 2, 3].map((n) => createTask(appId, `old${n}`, 'succeeded'));
    for (const [i, task] of older.entries()) {
      await redis.set(keys.task(appId, task.id), JSON.stringify(task));
      await redis.zadd(keys.appTasksBefore(appId), 1000 + i, task.id);
    }
    const newer = [1, 2, 3, 4].map((n) => createTask(appId, `new${n}`, 'pending'));
    for (const task of newer) await committer.commit(new Transition(keys, appId).saveTask(task));
    for (const task of newer.slice(0, 1))
      await committer.commit(new Transition(keys, appId).saveTask({ ...task, status: 'queued' }));

    expect(await redis.type(keys.appTaskIds(appId))).toBe('list');
    expect(await redis.zcard(keys.appTasksBefore(appId))).toBe(3);
    const newestFirst = [...older, ...newer].map((t) => t.id).reverse();
    expect(newestFirst).toHaveLength(7);
    expect(await tasks.allIds(appId)).toEqual([...older, ...newer].map((t) => t.id));
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await tasks.list(appId, { limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
  });

  it('lists users oldest first through both, a user written again listed once', async () => {
    const { redis, keys, committer } = harness();
    const appId = 'app-users';
    for (const [i, userId] of ['old1', 'old2'].entries()) {
      await redis.hset(keys.appUser(appId, userId), {
        userId,
        email: `${userId}@x.test`,
        state: 'deprovisioned',
      });
      await redis.zadd(keys.appUsersBefore(appId), 1000 + i, userId);
    }
    for (const userId of ['new1', 'new2', 'new1', 'old1'])
      await committer.commit(
        new Transition(keys, appId).writeAppUser(appId, userId, { email: `${userId}@x.test` }),
      );

    expect(await redis.lrange(keys.appUserIds(appId), 0, -1)).toEqual(['new1', 'new2']);
    expect(await appUsers.allIds(appId)).toEqual(['old1', 'old2', 'new1', 'new2']);
    const first = await appUsers.list(appId, { limit: 3 });
    expect(first.items.map((u) => u.userId)).toEqual(['old1', 'old2', 'new1']);
    const second = await appUsers.list(appId, { limit: 3, cursor: first.nextCursor ?? '' });
    expect(second.items.map((u) => u.userId)).toEqual(['new2']);
    expect(second.nextCursor).toBeNull();
    expect(await appUsers.appsOfUser('new2')).toEqual([]);
  });

  it('lists the tasks of a final status in the order they reached it, after the sorted set of before', async () => {
    const { redis, keys, committer } = harness();
    const appId = 'app-final';
    const older = createTask(appId, 'old', 'succeeded');
    await redis.set(keys.task(appId, older.id), JSON.stringify(older));
    await redis.zadd(keys.appTaskStatus(appId, 'succeeded'), 1000, older.id);
    const [first, second] = ['a', 'b'].map((userId) => createTask(appId, userId, 'queued'));
    for (const task of [first, second])
      if (task) await committer.commit(new Transition(keys, appId).saveTask(task));
    // The later task succeeds first: it is listed after the one that succeeds after it.
    for (const task of [second, first])
      if (task)
        await committer.commit(
          new Transition(keys, appId).saveTask({ ...task, status: 'succeeded' }, { onlyFrom: 'queued' }),
        );

    expect(await redis.type(keys.appTaskIdsWithStatus(appId, 'succeeded'))).toBe('list');
    expect(await redis.zcard(keys.appTaskStatus(appId, 'queued'))).toBe(0);
    const reached = [older.id, second?.id, first?.id];
    expect(await tasks.idsWithStatus(appId, 'succeeded')).toEqual(reached);
    expect(await tasks.countWithStatus(appId, 'succeeded')).toBe(3);
    const page = await tasks.list(appId, { status: 'succeeded', limit: 2 });
    expect(page.items.map((t) => t.id)).toEqual([first?.id, second?.id]);
    const next = await tasks.list(appId, { status: 'succeeded', limit: 2, cursor: page.nextCursor ?? '' });
    expect(next.items.map((t) => t.id)).toEqual([older.id]);
  });
});
