import { beforeAll, describe, expect, it } from 'vitest';
import { type CommitHarness, useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { userGuardField } from '../store/id-buckets.ts';
import { Transition } from './transition.ts';

/**
 * The directory lives on another shard than an app in a cluster, so a plan cannot guard the user it
 * read; it guards the app's directory version of the user, which `Lifecycle.replanAfter` bumps after
 * each directory write. A plan read before the bump must be refused.
 */
describe('directory version guard', () => {
  const harness = useCommitter('dir-version');
  const appId = 'app-dv';
  let redis: CommitHarness['redis'];
  let committer: CommitHarness['committer'];
  let keys: CommitHarness['keys'];

  beforeAll(() => {
    ({ redis, committer, keys } = harness());
  });

  const planFrom = (version: string) =>
    new Transition(keys, appId)
      .expectDirectoryVersion('u1', version)
      .writeAppUser(appId, 'u1', { email: 'old@x.test', assigned: true });

  it('refuses a plan whose version a directory write bumped after it was read', async () => {
    const [read] = await redis.hmget(keys.appDirectoryVersions(appId, 'u1'), userGuardField('u1'));
    await redis.hincrby(keys.appDirectoryVersions(appId, 'u1'), userGuardField('u1'), 1);

    expect(await committer.commit(planFrom(read ?? ''))).toEqual({ ok: false, guard: 1, found: '1' });
    expect(await redis.exists(keys.appUser(appId, 'u1'))).toBe(0);
    expect(await committer.commit(planFrom('1'))).toMatchObject({ ok: true });
  });
});
