import { beforeAll, describe, expect, it } from 'vitest';
import { untilClockPasses } from '../../../test/support/clock.ts';
import { type CommitHarness, createTask, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { type AppUserPatch, Transition } from '../provisioning/transition.ts';
import type { Task } from '../types/task.schema.ts';
import { RECORD_FIELD } from './app-user-form.ts';
import { type AppUserRecord, AppUsersStore } from './app-users.store.ts';

describe('AppUsersStore.loadForPush', () => {
  const harness = useCommitter('app-users');
  const appId = 'app-1';
  let redis: CommitHarness['redis'];
  let committer: CommitHarness['committer'];
  let keys: CommitHarness['keys'];
  let appUsers: AppUsersStore;

  beforeAll(() => {
    ({ redis, committer, keys } = harness());
    appUsers = new AppUsersStore(redis, keys);
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

    const load = await appUsers.loadForPush(appId, 'u1', { owner: 'job-1', ms: 60_000 });
    const { record, queued } = load as Extract<typeof load, { record: unknown }>;
    expect(record).toMatchObject({
      userId: 'u1',
      email: 'u1@x.test',
      state: 'queued',
      intentGroups: ['Sales'],
    });
    expect(queued).toEqual([kept]);
  });

  it('answers no record and no tasks for a user the app does not know', async () => {
    expect(await appUsers.loadForPush(appId, 'nobody', { owner: 'job-1', ms: 60_000 })).toMatchObject({
      record: null,
      queued: [],
      creating: null,
    });
  });

  it('records the create a push will send with its start, the record revised, and only then', async () => {
    const seed = async (userId: string, patch: AppUserPatch, task = queuedTask(userId)) => {
      await committer.commit(
        new Transition(keys, appId)
          .saveTask(task)
          .writeAppUser(appId, userId, { email: `${userId}@x.test`, ...patch }, { add: [task.id] }),
      );
      return (await appUsers.find(appId, userId)) as AppUserRecord;
    };
    const resource = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'c@x.test',
      active: true,
    };
    const wanted: AppUserPatch = { assigned: true, intent: 'active', intentResource: resource };

    const before = await seed('c1', wanted);
    const load = await appUsers.loadForPush(appId, 'c1', { owner: 'job-1', ms: 60_000 });
    expect(load).toMatchObject({ creating: 'c@x.test', record: { creating: 'c@x.test' } });
    const after = (await appUsers.find(appId, 'c1')) as AppUserRecord;
    expect(after.creating).toBe('c@x.test');
    expect(Number(after.rev)).toBe(Number(before.rev) + 1);

    // Not a create (an account is linked), no longer wanted (unassigned), nothing queued: nothing recorded.
    const cases: [string, AppUserPatch, Task['status']][] = [
      ['c2', { ...wanted, externalId: 'ext-2' }, 'queued'],
      ['c3', { ...wanted, assigned: false }, 'queued'],
      ['c4', wanted, 'succeeded'],
    ];
    for (const [userId, patch, status] of cases) {
      const seeded = await seed(userId, patch, createTask(appId, userId, status));
      expect(await appUsers.loadForPush(appId, userId, { owner: 'job-1', ms: 60_000 })).toMatchObject({
        creating: null,
        record: { creating: null, rev: seeded.rev },
      });
    }
  });

  it('holds the user for one push at a time: its owner takes it again, another waits until it is released or lapses', async () => {
    const task = queuedTask('u2');
    await committer.commit(
      new Transition(keys, appId)
        .saveTask(task)
        .writeAppUser(appId, 'u2', { email: 'u2@x.test', intent: 'active' }, { add: [task.id] }),
    );
    const before = Date.now();
    expect(await appUsers.loadForPush(appId, 'u2', { owner: 'job-a', ms: 60_000 })).toHaveProperty('record');
    const busy = await appUsers.loadForPush(appId, 'u2', { owner: 'job-b', ms: 60_000 });
    expect(busy).toEqual({ busyUntil: expect.any(Number) });
    expect((busy as { busyUntil: number }).busyUntil).toBeGreaterThanOrEqual(before + 60_000);
    expect(await appUsers.loadForPush(appId, 'u2', { owner: 'job-a', ms: 60_000 })).toHaveProperty('record');

    // Released by another owner's transition: nothing happens; by its owner's: the next push takes it.
    await committer.commit(new Transition(keys, appId).releaseLease(appId, 'u2', 'job-b'));
    expect(await appUsers.loadForPush(appId, 'u2', { owner: 'job-b', ms: 60_000 })).toHaveProperty(
      'busyUntil',
    );
    await committer.commit(new Transition(keys, appId).releaseLease(appId, 'u2', 'job-a'));
    expect(await appUsers.loadForPush(appId, 'u2', { owner: 'job-b', ms: 1 })).toHaveProperty('record');

    // A lease whose push died lapses: job-b's 1 ms lease is over once its expiry has passed.
    const lapsed = Number(await redis.hget(keys.appUser(appId, 'u2'), RECORD_FIELD.leaseUntil));
    await untilClockPasses(lapsed);
    expect(await appUsers.loadForPush(appId, 'u2', { owner: 'job-c', ms: 60_000 })).toHaveProperty('record');
  });

  it('starts several pushes of the app in one call, each in order and on its own: a held user answers busy', async () => {
    const tasks = ['m1', 'm2'].map(queuedTask);
    for (const task of tasks)
      await committer.commit(
        new Transition(keys, appId)
          .saveTask(task)
          .writeAppUser(appId, task.userId, { email: `${task.userId}@x.test` }, { add: [task.id] }),
      );
    const lease = (owner: string) => ({ owner, ms: 60_000 });
    const loads = await appUsers.loadForPushMany(appId, [
      { userId: 'm1', lease: lease('job-a') },
      { userId: 'nobody', lease: lease('job-a') },
      { userId: 'm2', lease: lease('job-a') },
      // A second push of m1 in the same call finds the lease the first one took.
      { userId: 'm1', lease: lease('job-b') },
    ]);
    expect(loads).toEqual([
      {
        record: expect.objectContaining({ userId: 'm1' }),
        queued: [tasks[0]],
        lease: expect.any(Object),
        creating: null,
      },
      { record: null, queued: [], lease: expect.any(Object), creating: null },
      {
        record: expect.objectContaining({ userId: 'm2' }),
        queued: [tasks[1]],
        lease: expect.any(Object),
        creating: null,
      },
      { busyUntil: (loads[0] as { lease: { until: number } }).lease.until },
    ]);
    expect(await redis.hget(keys.appUser(appId, 'm2'), RECORD_FIELD.leaseOwner)).toBe('job-a');
  });
});
