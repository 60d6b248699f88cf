import { beforeAll, describe, expect, it } from 'vitest';
import { type CommitHarness, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { AppUsersStore } from '../store/app-users.store.ts';
import { Transition } from './transition.ts';

/**
 * The app's assigned users are kept in small buckets with a count; the set stores written before kept
 * is still read, and a transition of one of its users moves it out, so every user is counted once.
 */
describe('the assigned users index', () => {
  const harness = useCommitter('assigned');
  const appId = 'app-assigned';
  let h: CommitHarness;
  let appUsers: AppUsersStore;

  beforeAll(() => {
    h = harness();
    appUsers = new AppUsersStore(h.redis, h.keys);
  });

  const setAssigned = (userId: string, assigned: boolean) =>
    h.committer.commit(new Transition(h.keys, appId).setAssigned(appId, userId, assigned));

  it('counts and lists the users assigned now, in either form, each once', async () => {
    await h.redis.sadd(h.keys.appAssignedBefore(appId), 'old-1', 'old-2');
    const users = Array.from({ length: 300 }, (_, i) => `new-${i}`);
    for (const userId of users) await setAssigned(userId, true);
    await setAssigned('new-0', true);
    expect((await appUsers.counts(appId)).assigned).toBe(302);

    await setAssigned('old-1', false);
    await setAssigned('new-1', false);
    await setAssigned('new-1', false);
    // A user of the old set assigned again (a record that said otherwise) is moved, not counted twice.
    await setAssigned('old-2', true);
    expect((await appUsers.counts(appId)).assigned).toBe(300);
    expect(new Set(await appUsers.assignedIds(appId))).toEqual(
      new Set(['old-2', ...users.filter((userId) => userId !== 'new-1')]),
    );
    expect(await h.redis.exists(h.keys.appAssignedBefore(appId))).toBe(0);
    expect(await h.redis.object('ENCODING', h.keys.appAssigned(appId, 'new-7'))).toBe('listpack');
  });
});
