import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { loadConfig } from '../config/env.ts';
import { createStores, type Stores } from './stores.ts';
import { readUserRoles } from './user-roles.ts';

describe('the directory users’ roles', () => {
  let redis: Redis;
  let stores: Stores;

  beforeAll(() => {
    const config = loadConfig({ PROVISIM_KEY_PREFIX: uniquePrefix('uroles'), REDIS_URL: testRedisUrl() });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    stores = createStores(redis, config);
  });

  afterAll(async () => {
    await redis.quit();
  });

  const rolesOf = (...userIds: string[]) => readUserRoles(redis, stores.keys, userIds);

  it('follows the roles’ saves: users gained, kept and lost, in several roles', async () => {
    const nurse = await stores.roles.create('nurse');
    const doctor = await stores.roles.create('doctor');
    const nurses = await stores.roles.setUsers(nurse, ['ann', 'bob']);
    await stores.roles.setUsers(doctor, ['bob', 'cy']);
    expect(await rolesOf('ann', 'bob', 'cy', 'dee')).toEqual([
      [nurse.id],
      [nurse.id, doctor.id],
      [doctor.id],
      [],
    ]);

    await stores.roles.setUsers(nurses, ['bob', 'dee']);
    expect(await rolesOf('ann', 'bob', 'cy', 'dee')).toEqual([
      [],
      [nurse.id, doctor.id],
      [doctor.id],
      [nurse.id],
    ]);
    expect(await redis.hexists(stores.keys.userRoles('ann'), 'ann')).toBe(0);
  });

  it('keeps a bucket of a role of many users small (a listpack)', async () => {
    const role = await stores.roles.create('everyone');
    const users = Array.from({ length: 3000 }, (_, i) => `user-${i}`);
    await stores.roles.setUsers(role, users);
    expect(await redis.object('ENCODING', stores.keys.userRoles('user-7'))).toBe('listpack');
    expect((await rolesOf(...users)).every((roles) => roles.length === 1 && roles[0] === role.id)).toBe(true);
  });

  it('reads the roles a set per user held before, and moves them on the next save', async () => {
    const old = await stores.roles.create('old');
    const added = await stores.roles.create('added');
    // What a store written before holds: the role's record and the user's set.
    const oldWithEve = { ...old, userIds: ['eve'] };
    await redis.set(stores.keys.role(old.id), JSON.stringify(oldWithEve));
    await redis.sadd(stores.keys.userRolesBefore('eve'), old.id);
    await stores.roles.setApps(oldWithEve, ['app-old-roles']);
    await redis.zadd(stores.keys.apps, 1, 'app-old-roles');

    expect(await rolesOf('eve')).toEqual([[old.id]]);
    expect(await stores.assignments.sourcesOf('app-old-roles', ['eve'])).toEqual([
      { direct: false, roleIds: [old.id] },
    ]);
    expect(await stores.appUsers.appsOfUser('eve')).toContain('app-old-roles');

    await stores.roles.setUsers(added, ['eve']);
    expect(await redis.exists(stores.keys.userRolesBefore('eve'))).toBe(0);
    expect(await rolesOf('eve')).toEqual([[old.id, added.id]]);

    await stores.roles.setUsers(await stores.roles.get(old.id), []);
    expect(await rolesOf('eve')).toEqual([[added.id]]);
    expect(await stores.appUsers.appsOfUser('eve')).not.toContain('app-old-roles');
  });

  it('forgets a removed user’s roles, in either form', async () => {
    const role = await stores.roles.create('leaving');
    await stores.roles.setUsers(role, ['fay']);
    await redis.sadd(stores.keys.userRolesBefore('gus'), role.id);
    for (const id of ['fay', 'gus'])
      await stores.users.remove({ id, email: `${id}@example.test` } as Parameters<
        Stores['users']['remove']
      >[0]);
    expect(await rolesOf('fay', 'gus')).toEqual([[], []]);
  });
});
