import { beforeAll, describe, expect, it } from 'vitest';
import { type CommitHarness, createTask, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import type { ScimUser } from '../mapping/scim-user.ts';
import { StagedApprover } from '../provisioning/approve-staged.ts';
import { Transition } from '../provisioning/transition.ts';
import { RECORD_FIELD, readResource, storeResource } from './app-user-form.ts';
import { AppUsersStore } from './app-users.store.ts';

const resourceOf = (userId: string): ScimUser => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `${userId}@x.test`,
  displayName: `User ${userId}`,
  active: true,
  externalId: userId,
});

/** A provisioned user's record as stores kept it before the short names (a real one, its values renamed). */
const recordOfBefore = (userId: string): Record<string, string> => ({
  email: `${userId}@x.test`,
  assigned: '1',
  pendingTaskId: '',
  userId,
  rev: '4',
  queuedCount: '0',
  state: 'provisioned',
  updatedAt: '2026-11-29T20:28:05.478Z',
  intent: 'active',
  intentResource: JSON.stringify(resourceOf(userId)),
  intentGroups: '[]',
  outcome: 'ok',
  creating: '',
  leaseUntil: '1795984215444',
  leaseOwner: '',
  externalId: `t-${userId}`,
  pushedResource: '=',
  lastError: '',
  pushedActive: '1',
});

const LONG_NAMES = Object.keys(RECORD_FIELD);

describe("an app user's stored form: short field names, the core user's opening as one character", () => {
  const harness = useCommitter('app-user-form');
  const appId = 'app-1';
  let redis: CommitHarness['redis'];
  let keys: CommitHarness['keys'];
  let appUsers: AppUsersStore;

  beforeAll(() => {
    ({ redis, keys } = harness());
    appUsers = new AppUsersStore(redis, keys);
  });

  const commit = (t: Transition) => harness().committer.commit(t);
  const hashOf = (userId: string) => redis.hgetall(keys.appUser(appId, userId));
  const storeBefore = (userId: string) => redis.hset(keys.appUser(appId, userId), recordOfBefore(userId));
  const provisioned = (userId: string) => ({
    userId,
    email: `${userId}@x.test`,
    state: 'provisioned',
    assigned: true,
    pendingTaskId: null,
    externalId: `t-${userId}`,
    lastError: null,
    intent: 'active',
    intentResource: resourceOf(userId),
    intentGroups: [],
    pushedResource: resourceOf(userId),
    pushedGroups: [],
    creating: null,
  });

  it('writes a record under the short names and reads it back whole', async () => {
    const groups = ['Sales'];
    await commit(
      new Transition(keys, appId).writeAppUser(appId, 'n1', {
        email: 'n1@x.test',
        assigned: true,
        intent: 'active',
        intentResource: resourceOf('n1'),
        intentGroups: groups,
        pushedGroups: [],
      }),
    );
    const stored = await hashOf('n1');
    expect(Object.keys(stored).filter((name) => LONG_NAMES.includes(name) && name.length > 2)).toEqual([]);
    // The user id is the key's: neither a field nor the resource's externalId holds it.
    expect(stored[RECORD_FIELD.userId]).toBeUndefined();
    expect(stored[RECORD_FIELD.intentResource]).toBe(storeResource(resourceOf('n1'), 'n1'));
    expect(stored[RECORD_FIELD.intentResource]).toBe(
      '~"userName":"n1@x.test","displayName":"User n1","active":true,"externalId":\u0001}',
    );
    // An empty value is not stored; the time is epoch ms.
    expect(stored[RECORD_FIELD.pushedGroups]).toBeUndefined();
    expect(stored[RECORD_FIELD.updatedAt]).toMatch(/^\d{13}$/);
    expect(await appUsers.find(appId, 'n1')).toMatchObject({
      updatedAt: new Date(Number(stored[RECORD_FIELD.updatedAt])).toISOString(),
      userId: 'n1',
      email: 'n1@x.test',
      assigned: true,
      intentResource: resourceOf('n1'),
      intentGroups: groups,
      pushedGroups: [],
      rev: '1',
    });
  });

  it("keeps a resource without the core user's opening or the user id as its JSON", () => {
    const other = { schemas: ['urn:example:User'], userName: 'x', active: true };
    expect(storeResource(other, 'u')).toBe(JSON.stringify(other));
    expect(readResource(storeResource(other, 'u'), 'u')).toEqual(other);
    expect(readResource(JSON.stringify(resourceOf('u')), 'u')).toEqual(resourceOf('u'));
    expect(readResource('', 'u')).toBeNull();
  });

  it('reads back a resource holding a user id that JSON escapes, or holds in a longer string', () => {
    const odd = 'o"1%\\';
    const resource = { ...resourceOf(odd), nickName: `${odd}-${odd}`, ids: [odd, 'x'] };
    const stored = storeResource(resource, odd);
    expect(stored.split('\u0001')).toHaveLength(3);
    expect(readResource(stored, odd)).toEqual(resource);
  });

  it("records the create of a user whose id JSON escapes at a push's start (the script reads the resource)", async () => {
    const odd = 'o"%1';
    const resource = { ...resourceOf(odd), userName: odd };
    const intent = { email: 'o@x.test', assigned: true, intent: 'active', intentResource: resource } as const;
    await commit(new Transition(keys, appId).writeAppUser(appId, odd, intent));
    const task = createTask(appId, odd, 'queued');
    await commit(new Transition(keys, appId).saveTask(task).writeAppUser(appId, odd, {}, { add: [task.id] }));
    const load = await appUsers.loadForPush(appId, odd, { owner: 'job-o', ms: 60_000 });
    expect(load).toMatchObject({ creating: odd, record: { userId: odd, intentResource: resource } });
  });

  it('reads a record stored before under the long names, through every reader', async () => {
    await storeBefore('b1');
    expect(await appUsers.find(appId, 'b1')).toMatchObject({
      ...provisioned('b1'),
      updatedAt: '2026-11-29T20:28:05.478Z',
      rev: '4',
    });
    expect((await appUsers.findMany(appId, ['b1'])).get('b1')).toMatchObject(provisioned('b1'));
  });

  it('reads a record stored with its user id and resources holding it, and writes it on', async () => {
    const shortNamed = Object.fromEntries(
      Object.entries(recordOfBefore('s1'))
        .filter(([, value]) => value !== '')
        .map(([name, value]) => [(RECORD_FIELD as Record<string, string>)[name] ?? name, value]),
    );
    await redis.hset(keys.appUser(appId, 's1'), shortNamed);
    expect(await appUsers.find(appId, 's1')).toMatchObject({ ...provisioned('s1'), rev: '4' });
    const renamed = { ...resourceOf('s1'), displayName: 'Renamed' };
    const applied = await commit(
      new Transition(keys, appId)
        .expectRevision(appId, 's1', '4')
        .writeAppUser(appId, 's1', { intentResource: renamed }),
    );
    expect(applied.ok).toBe(true);
    const stored = await hashOf('s1');
    // The old intent, stored with the id, took the marker's place; the new one holds the id's mark.
    expect(stored[RECORD_FIELD.pushedResource]).toBe(shortNamed[RECORD_FIELD.intentResource]);
    expect(stored[RECORD_FIELD.intentResource]).toBe(storeResource(renamed, 's1'));
    expect(await appUsers.find(appId, 's1')).toMatchObject({
      ...provisioned('s1'),
      intentResource: renamed,
      pushedResource: resourceOf('s1'),
      rev: '5',
    });
  });

  it('rewrites a record stored before in the new form at a transition, its guard and marker kept', async () => {
    await storeBefore('b2');
    const renamed = { ...resourceOf('b2'), displayName: 'Renamed' };
    const applied = await commit(
      new Transition(keys, appId)
        .expectRevision(appId, 'b2', '4')
        .writeAppUser(appId, 'b2', { intentResource: renamed }),
    );
    expect(applied.ok).toBe(true);
    const stored = await hashOf('b2');
    expect(Object.keys(stored).filter((name) => name.length > 2)).toEqual([]);
    // The intent changed under the marker: the old intent took its place.
    expect(readResource(stored[RECORD_FIELD.pushedResource], 'b2')).toEqual(resourceOf('b2'));
    expect(await appUsers.find(appId, 'b2')).toMatchObject({
      ...provisioned('b2'),
      intentResource: renamed,
      rev: '5',
    });
    const stale = await commit(new Transition(keys, appId).expectRevision(appId, 'b2', '4'));
    expect(stale).toEqual({ ok: false, guard: 1, found: '5' });
  });

  it("rewrites a record stored before at a push's start, which records the create it decodes", async () => {
    await storeBefore('b3');
    await redis.hset(keys.appUser(appId, 'b3'), { externalId: '', state: 'queued', queuedCount: '1' });
    const task = createTask(appId, 'b3', 'queued');
    await commit(new Transition(keys, appId).saveTask(task));
    await redis.sadd(keys.appUserQueued(appId, 'b3'), task.id);

    const load = await appUsers.loadForPush(appId, 'b3', { owner: 'job-1', ms: 60_000 });
    expect(load).toMatchObject({ creating: 'b3@x.test', record: { userId: 'b3', creating: 'b3@x.test' } });
    const stored = await hashOf('b3');
    expect(stored.userId).toBeUndefined();
    expect(stored[RECORD_FIELD.leaseOwner]).toBe('job-1');
    expect(stored[RECORD_FIELD.rev]).toBe('5');
  });

  it('rewrites a record stored before at a bulk approval, which keeps the marker rule', async () => {
    await storeBefore('b4');
    const renamed = { ...resourceOf('b4'), displayName: 'Renamed' };
    const task = createTask(appId, 'b4', 'pending', {
      action: 'update',
      method: 'PUT',
      resource: renamed,
      preview: renamed,
    });
    await commit(new Transition(keys, appId).saveTask(task));
    const approver = new StagedApprover(redis, keys, harness().log);
    const read = [{ task, stored: (await redis.get(keys.task(appId, task.id))) as string }];
    expect(await approver.approve(appId, read, 'admin', new Date().toISOString())).toEqual(['ok']);
    const stored = await hashOf('b4');
    expect(stored.userId).toBeUndefined();
    expect(readResource(stored[RECORD_FIELD.pushedResource], 'b4')).toEqual(resourceOf('b4'));
    expect(await appUsers.find(appId, 'b4')).toMatchObject({
      state: 'queued',
      intentResource: renamed,
      pushedResource: resourceOf('b4'),
      rev: '5',
    });
  });
});
