import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { storeKeys } from '../store/keys.ts';
import { ProvisioningLog } from '../store/provisioning-log/provisioning-log.ts';
import { Committer, Transition } from './transition.ts';

/**
 * The directory lives on another shard than an app in a cluster, so a plan cannot guard the user it
 * read; it guards the app's directory version of the user, which `Lifecycle.replanAfter` bumps after
 * each directory write. A plan read before the bump must be refused.
 */
describe('directory version guard', () => {
  let redis: Redis;
  let committer: Committer;
  let keys: ReturnType<typeof storeKeys>;
  const appId = 'app-dv';

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
    const prefix = uniquePrefix('dir-version');
    keys = storeKeys(prefix);
    const retention = { maxCount: 1000, maxAgeMs: 86_400_000 };
    committer = new Committer(redis, new ProvisioningLog({ redis, keyPrefix: prefix, retention }));
  });

  afterAll(async () => {
    await redis.quit();
  });

  const planFrom = (version: string) =>
    new Transition(keys, appId)
      .expectDirectoryVersion('u1', version)
      .writeAppUser(appId, 'u1', { email: 'old@x.test', assigned: true });

  it('refuses a plan whose version a directory write bumped after it was read', async () => {
    const [read] = await redis.hmget(keys.appDirectoryVersions(appId), 'u1');
    await redis.hincrby(keys.appDirectoryVersions(appId), 'u1', 1);

    expect(await committer.commit(planFrom(read ?? ''))).toEqual({ ok: false, guard: 1, found: '1' });
    expect(await redis.exists(keys.appUser(appId, 'u1'))).toBe(0);
    expect(await committer.commit(planFrom('1'))).toMatchObject({ ok: true });
  });
});
