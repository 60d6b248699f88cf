import type { RedisClient } from '../redis/connection.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { StoreKeys } from './keys.ts';

const USER_ROLES_LUA = new URL('./user-roles.lua', import.meta.url);
const READ_USER_ROLES = new LuaScript(USER_ROLES_LUA, new URL('./read-user-roles.lua', import.meta.url));
const SET_ROLE_USERS = new LuaScript(USER_ROLES_LUA, new URL('./set-role-users.lua', import.meta.url));

/** Users read in one script call: its keys stay a few thousand. */
const PER_CALL = 1000;

const userKeys = (keys: StoreKeys, userId: string): string[] => [
  keys.userRoles(userId),
  keys.userRolesBefore(userId),
];

/** Each user's role ids, in the order of `userIds` (see keys.userRoles; sets stored before still read). */
export async function readUserRoles(
  redis: RedisClient,
  keys: StoreKeys,
  userIds: readonly string[],
): Promise<string[][]> {
  const roles: string[][] = [];
  for (let i = 0; i < userIds.length; i += PER_CALL) {
    const chunk = userIds.slice(i, i + PER_CALL);
    const replies = await READ_USER_ROLES.run<string[]>(redis, {
      keys: chunk.flatMap((userId) => userKeys(keys, userId)),
      args: chunk,
    });
    for (const reply of replies) roles.push(reply === '' ? [] : reply.split(' '));
  }
  return roles;
}

/** Saves a role's record and moves it out of the roles of `losing` and into those of `gaining`, in one step. */
export async function saveRoleUsers(
  redis: RedisClient,
  keys: StoreKeys,
  role: { id: string; record: string },
  losing: readonly string[],
  gaining: readonly string[],
): Promise<void> {
  const users = [...losing, ...gaining];
  await SET_ROLE_USERS.run(redis, {
    keys: [keys.role(role.id), ...users.flatMap((userId) => userKeys(keys, userId))],
    args: [role.record, role.id, losing.length, ...users],
  });
}
