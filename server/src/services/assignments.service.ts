import { notFound } from '../../../shared/src/errors/app-error.ts';
import { applyRules } from '../../../shared/src/mapping/rules.ts';
import { buildScimUser, desiredGroups } from '../../../shared/src/mapping/scim-user.ts';
import type { Lifecycle } from '../../../shared/src/provisioning/lifecycle.ts';
import type { AppUserRecord } from '../../../shared/src/store/app-users.store.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppUser } from '../../../shared/src/types/task.schema.ts';
import { appUserView } from '../presenters/app-user.presenter.ts';

/** Direct assignment and the app's approval queue; whatever they change for a user is the lifecycle's to plan. */
export class AssignmentsService {
  constructor(
    private readonly stores: Stores,
    private readonly lifecycle: Lifecycle,
  ) {}

  async assign(appId: string, userId: string): Promise<AppUser> {
    await this.stores.apps.get(appId);
    await this.stores.users.get(userId);
    await this.lifecycle.replanAfter([appId], [userId], () =>
      this.stores.assignments.addDirect(appId, userId),
    );
    const record = await this.stores.appUsers.find(appId, userId);
    if (!record) throw notFound('app user', userId);
    return appUserView(record as AppUserRecord);
  }

  /** One app user with the SCIM resource and groups the app would push for it now. */
  async detail(appId: string, userId: string) {
    const app = await this.stores.apps.get(appId);
    const record = await this.stores.appUsers.find(appId, userId);
    if (!record) throw notFound('app user', userId);
    const user = await this.stores.users.find(userId);
    const mapped =
      user !== null && app.parameters.scimUsername !== null
        ? applyRules(
            app.rules,
            user,
            buildScimUser(app.connector, user, app.parameters),
            desiredGroups(app.connector, user, app.parameters),
          )
        : null;
    return {
      ...appUserView(record),
      desired: mapped ? mapped.resource : record.intentResource,
      desiredGroups: mapped ? mapped.groups : record.intentGroups,
    };
  }

  /** A page of the app's users, by state. */
  async users(appId: string, query: Parameters<Stores['appUsers']['list']>[1]) {
    await this.stores.apps.get(appId);
    return this.stores.appUsers.list(appId, query);
  }

  /** A page of the app's tasks, newest first. */
  async tasks(appId: string, query: Parameters<Stores['tasks']['list']>[1]) {
    await this.stores.apps.get(appId);
    return this.stores.tasks.list(appId, query);
  }

  async approveAll(appId: string): Promise<number> {
    await this.stores.apps.get(appId);
    return this.lifecycle.approveAll(appId);
  }

  async reapply(appId: string) {
    return this.lifecycle.reapply(await this.stores.apps.get(appId));
  }

  async unassign(appId: string, userId: string): Promise<void> {
    await this.stores.apps.get(appId);
    await this.lifecycle.replanAfter([appId], [userId], async () => {
      if (!(await this.stores.assignments.removeDirect(appId, userId)))
        throw notFound('assignment', `${appId}/${userId}`);
    });
  }
}
