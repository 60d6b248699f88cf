import type { Lifecycle } from '../../../shared/src/provisioning/lifecycle.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type {
  CreateUserInput,
  PatchUserInput,
  Role,
  User,
} from '../../../shared/src/types/directory.schema.ts';

/** Users and roles; every change that matters to an app is handed to provisioning. */
export class DirectoryService {
  constructor(
    private readonly stores: Stores,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** Every app the user is assigned to re-plans the user (the lifecycle decides what changed). */
  private async userChanged(userId: string, appIds?: string[]): Promise<void> {
    for (const appId of appIds ?? (await this.stores.appUsers.appsOfUser(userId)))
      await this.lifecycle.reconcile(appId, [userId]);
  }

  createUser(input: CreateUserInput): Promise<User> {
    return this.stores.users.create(input);
  }

  async updateUser(id: string, patch: PatchUserInput): Promise<User> {
    const { after } = await this.stores.users.update(id, patch);
    await this.userChanged(id);
    return after;
  }

  async setStatus(id: string, status: User['status']): Promise<User> {
    const current = await this.stores.users.get(id);
    if (current.status === status) return current;
    const { after } = await this.stores.users.update(id, { status });
    await this.userChanged(id);
    return after;
  }

  async deleteUser(id: string): Promise<void> {
    const user = await this.stores.users.get(id);
    const appIds = await this.stores.appUsers.appsOfUser(id);
    await this.stores.roles.forgetUser(id);
    await this.stores.users.remove(user);
    // The user is gone from the directory: each app applies its deprovisioning action.
    await this.userChanged(id, appIds);
  }

  async setRoleApps(roleId: string, appIds: string[]): Promise<Role> {
    const role = await this.stores.roles.get(roleId);
    for (const appId of appIds) await this.stores.apps.get(appId);
    const next = await this.stores.roles.setApps(role, appIds);
    for (const appId of new Set([...role.appIds, ...next.appIds]))
      await this.lifecycle.reconcile(appId, next.userIds);
    return next;
  }

  async setRoleUsers(roleId: string, userIds: string[]): Promise<Role> {
    const role = await this.stores.roles.get(roleId);
    const known = await this.stores.users.getMany(userIds);
    const missing = userIds.find((id) => !known.has(id));
    if (missing) await this.stores.users.get(missing);
    const next = await this.stores.roles.setUsers(role, userIds);
    const affected = [...new Set([...role.userIds, ...next.userIds])];
    for (const appId of next.appIds) await this.lifecycle.reconcile(appId, affected);
    return next;
  }
}
