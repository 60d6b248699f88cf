import type { RedisClient } from '../redis/connection.ts';
import type { StoreKeys } from './keys.ts';

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
    // The direct set is the app's, the roles the directory's (two shards in a cluster): no pipeline
    // across them; the commands still go out together.
    return Promise.all(
      userIds.map(async (userId) => {
        const [direct, roleIds] = await Promise.all([
          this.redis.sismember(this.keys.appDirect(appId), userId),
          this.redis.sinter(this.keys.userRoles(userId), this.keys.appRoles(appId)),
        ]);
        return { direct: direct === 1, roleIds };
      }),
    );
  }
}
