import type { AppUserRecord } from '../../../shared/src/store/app-users.store.ts';
import type { AssignmentSources } from '../../../shared/src/store/assignments.store.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppUserRow } from '../../../shared/src/types/task.schema.ts';
import { appUserView } from './app-user.presenter.ts';

/** Presents a page of app users with their names and assignment sources, in three round trips. */
export function createAppUserRows(stores: Stores) {
  return async (appId: string, records: AppUserRecord[]): Promise<AppUserRow[]> => {
    if (records.length === 0) return [];
    const userIds = records.map((record) => record.userId);
    const sources = await stores.assignments.sourcesOf(appId, userIds);
    const roleIds = [...new Set(sources.flatMap((source) => source.roleIds))];
    const [users, roles] = await Promise.all([
      stores.users.getMany(userIds),
      Promise.all(roleIds.map((id) => stores.roles.get(id).catch(() => null))),
    ]);
    const roleNames = new Map(roles.flatMap((role) => (role ? [[role.id, role.name] as const] : [])));
    return records.map((record, index) => {
      const user = users.get(record.userId);
      const { direct, roleIds: ids } = sources[index] as AssignmentSources;
      return {
        ...appUserView(record),
        name: user ? `${user.firstname} ${user.lastname}`.trim() : null,
        direct,
        roles: ids.flatMap((id) => {
          const name = roleNames.get(id);
          return name === undefined ? [] : [{ id, name }];
        }),
      };
    });
  };
}
