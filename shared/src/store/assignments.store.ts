import { type Command, type RedisClient, sendTogether } from '../redis/connection.ts';
import type { StoreKeys } from './keys.ts';
import { readUserRoles } from './user-roles.ts';

/** Where one user's access to an app comes from: a direct assignment, roles, or both. */
export interface AssignmentSources {
  direct: boolean;
  roleIds: string[];
}

/** Direct assignments (the app's `direct` set) and the assignment sources of its users; the lifecycle plans what they change. */
export class AssignmentsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async addDirect(appId: string, userId: string): Promise<void> {
    await this.redis.sadd(this.keys.appDirect(appId), userId);
  }

  /** Whether the user was directly assigned (and now is not). */
  async removeDirect(appId: string, userId: string): Promise<boolean> {
    return (await this.redis.srem(this.keys.appDirect(appId), userId)) === 1;
  }

  /** Each user's sources for the app, in the order of `userIds`, in one round trip. */
  async sourcesOf(appId: string, userIds: readonly string[]): Promise<AssignmentSources[]> {
    const [direct, userRoles, appRoles] = await Promise.all([
      sendTogether(
        this.redis,
        userIds.map((userId): Command => ['sismember', this.keys.appDirect(appId), userId]),
      ),
      readUserRoles(this.redis, this.keys, userIds),
      this.redis.smembers(this.keys.appRoles(appId)),
    ]);
    const granting = new Set(appRoles);
    return userIds.map((_, index) => ({
      direct: Number(direct[index]) === 1,
      roleIds: (userRoles[index] ?? []).filter((roleId) => granting.has(roleId)),
    }));
  }
}
