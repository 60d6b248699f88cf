import { beforeAll, describe, expect, it } from 'vitest';
import { type CommitHarness, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import type { ScimUser } from '../mapping/scim-user.ts';
import { type AppUserPatch, Transition } from '../provisioning/transition.ts';
import { RECORD_FIELD, readResource } from './app-user-form.ts';
import { AppUsersStore } from './app-users.store.ts';

const resource = (userName: string, displayName: string): ScimUser => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  displayName,
  active: true,
});

describe('AppUsersStore: the pushed resource, stored once when it is the intended one', () => {
  const harness = useCommitter('app-user-resources');
  const appId = 'app-1';
  let redis: CommitHarness['redis'];
  let keys: CommitHarness['keys'];
  let appUsers: AppUsersStore;

  beforeAll(() => {
    ({ redis, keys } = harness());
    appUsers = new AppUsersStore(redis, keys);
  });

  const write = (userId: string, patch: AppUserPatch) =>
    harness().committer.commit(new Transition(keys, appId).writeAppUser(appId, userId, patch));
  const stored = (userId: string) => redis.hget(keys.appUser(appId, userId), RECORD_FIELD.pushedResource);

  it('keeps a push of the intent as a marker, and the old intent in its place once the intent changes', async () => {
    const first = resource('u1@x.test', 'One');
    const renamed = resource('u1@x.test', 'One Renamed');
    await write('u1', { email: 'u1@x.test', intent: 'active', intentResource: first });
    await write('u1', { externalId: 't-1', pushedResource: first });
    expect(await stored('u1')).toBe('=');
    expect(await appUsers.find(appId, 'u1')).toMatchObject({ intentResource: first, pushedResource: first });

    await write('u1', { intentResource: renamed });
    expect(readResource((await stored('u1')) ?? '', 'u1')).toEqual(first);
    expect(await appUsers.find(appId, 'u1')).toMatchObject({
      intentResource: renamed,
      pushedResource: first,
    });

    await write('u1', { pushedResource: renamed });
    expect(await stored('u1')).toBe('=');
    await write('u1', { intent: null, intentResource: null });
    expect(await appUsers.find(appId, 'u1')).toMatchObject({ intentResource: null, pushedResource: renamed });
  });

  it('keeps a pushed resource that differs from the intent as it is, and none as none', async () => {
    const intended = resource('u2@x.test', 'Two');
    const observed = resource('u2@x.test', 'Two on the target');
    await write('u2', {
      email: 'u2@x.test',
      intent: 'active',
      intentResource: intended,
      pushedResource: observed,
    });
    expect(readResource((await stored('u2')) ?? '', 'u2')).toEqual(observed);
    await write('u2', { pushedResource: null });
    expect(await stored('u2')).toBeNull();
    expect(await appUsers.find(appId, 'u2')).toMatchObject({
      intentResource: intended,
      pushedResource: null,
    });
  });

  it('stores the marker when one write sets both to the same resource (an import), read by every reader', async () => {
    const observed = resource('u3@x.test', 'Three');
    await write('u3', {
      email: 'u3@x.test',
      intent: 'active',
      intentResource: observed,
      pushedResource: observed,
    });
    expect(await stored('u3')).toBe('=');
    const [many] = [...(await appUsers.findMany(appId, ['u3'])).values()];
    expect(many).toMatchObject({ pushedResource: observed });
    const load = await appUsers.loadForPush(appId, 'u3', { owner: 'job-1', ms: 60_000 });
    expect(load).toMatchObject({ record: { intentResource: observed, pushedResource: observed } });
  });
});
