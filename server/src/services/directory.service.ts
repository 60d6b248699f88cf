import type { Lifecycle } from '../../../shared/src/provisioning/lifecycle.ts';
import type { AppUserRecord } from '../../../shared/src/store/app-users.store.ts';
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

  /** A write that changes the user for every app it is assigned to; each app re-plans the user after it. */
  private async userChanged<T>(userId: string, write: () => Promise<T>): Promise<T> {
    const appIds = await this.stores.appUsers.appsOfUser(userId);
    return this.lifecycle.replanAfter(appIds, [userId], write);
  }

  createUser(input: CreateUserInput): Promise<User> {
    return this.stores.users.create(input);
  }

  listUsers(query: Parameters<Stores['users']['list']>[0]) {
    return this.stores.users.list(query);
  }

  getUser(id: string): Promise<User> {
    return this.stores.users.get(id);
  }

  /** The apps that hold the user (assigned, or once assigned), with its record in each. */
  async appsOfUser(userId: string): Promise<Array<{ appId: string; record: AppUserRecord }>> {
    await this.stores.users.get(userId);
    const appIds = await this.stores.apps.ids();
    const records = await Promise.all(appIds.map((appId) => this.stores.appUsers.find(appId, userId)));
    return records.flatMap((record, i) => (record ? [{ appId: appIds[i] as string, record }] : []));
  }

  async updateUser(id: string, patch: PatchUserInput): Promise<User> {
    const { after } = await this.userChanged(id, () => this.stores.users.update(id, patch));
    return after;
  }

  async setStatus(id: string, status: User['status']): Promise<User> {
    const current = await this.stores.users.get(id);
    if (current.status === status) return current;
    const { after } = await this.userChanged(id, () => this.stores.users.update(id, { status }));
    return after;
  }

  async deleteUser(id: string): Promise<void> {
    const user = await this.stores.users.get(id);
    // The user is gone from the directory: each app applies its deprovisioning action.
    await this.userChanged(id, async () => {
      await this.stores.roles.forgetUser(id);
      await this.stores.users.remove(user);
    });
  }

  createRole(name: string): Promise<Role> {
    return this.stores.roles.create(name);
  }

  listRoles(query: Parameters<Stores['roles']['list']>[0]) {
    return this.stores.roles.list(query);
  }

  getRole(id: string): Promise<Role> {
    return this.stores.roles.get(id);
  }

  async setRoleApps(roleId: string, appIds: string[]): Promise<Role> {
    const role = await this.stores.roles.get(roleId);
    for (const appId of appIds) await this.stores.apps.get(appId);
    return this.lifecycle.replanAfter([...role.appIds, ...appIds], role.userIds, () =>
      this.stores.roles.setApps(role, appIds),
    );
  }

  async setRoleUsers(roleId: string, userIds: string[]): Promise<Role> {
    const role = await this.stores.roles.get(roleId);
    const known = await this.stores.users.getMany(userIds);
    const missing = userIds.find((id) => !known.has(id));
    if (missing) await this.stores.users.get(missing);
    return this.lifecycle.replanAfter(role.appIds, [...role.userIds, ...userIds], () =>
      this.stores.roles.setUsers(role, userIds),
    );
  }
}
