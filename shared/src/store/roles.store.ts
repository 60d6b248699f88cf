import { notFound } from '../errors/app-error.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Role } from '../types/directory.schema.ts';
import { cursorOffset, nextCursor } from './cursor.ts';
import { newId } from './ids.ts';
import type { StoreKeys } from './keys.ts';
import { readUserRoles, saveRoleUsers } from './user-roles.ts';

/** Roles with their apps and users, plus the reverse indexes assignment checks use (user -> roles, app -> roles). */
export class RolesStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async create(name: string): Promise<Role> {
    const role: Role = { id: newId(), name, appIds: [], userIds: [], createdAt: new Date().toISOString() };
    await this.redis
      .multi()
      .set(this.keys.role(role.id), JSON.stringify(role))
      .zadd(this.keys.roles, Date.now(), role.id)
      .exec();
    return role;
  }

  async get(id: string): Promise<Role> {
    const raw = await this.redis.get(this.keys.role(id));
    if (!raw) throw notFound('role', id);
    return JSON.parse(raw) as Role;
  }

  /** A page in creation order. */
  async list(page: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: Role[]; nextCursor: string | null }> {
    const offset = cursorOffset(page.cursor);
    const ids = await this.redis.zrange(this.keys.roles, offset, offset + page.limit - 1);
    const raws = ids.length === 0 ? [] : await this.redis.mget(ids.map((id) => this.keys.role(id)));
    const items = raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Role);
    return { items, nextCursor: nextCursor(offset, ids.length, page.limit) };
  }

  async setApps(role: Role, appIds: string[]): Promise<Role> {
    const next = { ...role, appIds: [...new Set(appIds)] };
    const tx = this.redis.multi().set(this.keys.role(role.id), JSON.stringify(next));
    for (const appId of role.appIds) tx.srem(this.keys.appRoles(appId), role.id);
    for (const appId of next.appIds) tx.sadd(this.keys.appRoles(appId), role.id);
    await tx.exec();
    return next;
  }

  async setUsers(role: Role, userIds: string[]): Promise<Role> {
    const next = { ...role, userIds: [...new Set(userIds)] };
    const before = new Set(role.userIds);
    const after = new Set(next.userIds);
    await saveRoleUsers(
      this.redis,
      this.keys,
      { id: role.id, record: JSON.stringify(next) },
      role.userIds.filter((userId) => !after.has(userId)),
      next.userIds.filter((userId) => !before.has(userId)),
    );
    return next;
  }

  /** Drops a deleted user from every role that held it. */
  async forgetUser(userId: string): Promise<void> {
    const [roleIds = []] = await readUserRoles(this.redis, this.keys, [userId]);
    for (const roleId of roleIds) {
      const role = await this.get(roleId).catch(() => null);
      if (role)
        await this.redis.set(
          this.keys.role(roleId),
          JSON.stringify({ ...role, userIds: role.userIds.filter((u) => u !== userId) }),
        );
    }
  }

  /** Drops a deleted app from every role that granted it. */
  async forgetApp(appId: string): Promise<void> {
    const roleIds = await this.redis.smembers(this.keys.appRoles(appId));
    for (const roleId of roleIds) {
      const role = await this.get(roleId).catch(() => null);
      if (role)
        await this.redis.set(
          this.keys.role(roleId),
          JSON.stringify({ ...role, appIds: role.appIds.filter((a) => a !== appId) }),
        );
    }
  }
}
