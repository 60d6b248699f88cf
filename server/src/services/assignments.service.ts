import { notFound } from '../../../shared/src/errors/app-error.ts';
import { buildScimUser, desiredGroups } from '../../../shared/src/mapping/scim-user.ts';
import { type AppUserRecord, appUserView } from '../../../shared/src/store/app-users.store.ts';
import { storeKeys } from '../../../shared/src/store/keys.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import type { AppUser } from '../../../shared/src/types/task.schema.ts';
import type { Change, ProvisioningService } from './provisioning.service.ts';

const CHUNK = 1000;

/** Direct and role-based assignment: whenever either changes, users whose assignment flipped get a task. */
export class AssignmentsService {
  private readonly keys;

  constructor(
    private readonly stores: Stores,
    private readonly provisioning: ProvisioningService,
    keyPrefix: string,
  ) {
    this.keys = storeKeys(keyPrefix);
  }

  async assign(appId: string, userId: string): Promise<AppUser> {
    await this.stores.apps.get(appId);
    await this.stores.users.get(userId);
    await this.stores.redis.sadd(this.keys.appDirect(appId), userId);
    await this.recompute(appId, [userId]);
    return appUserView((await this.stores.appUsers.find(appId, userId)) as AppUserRecord);
  }

  /** One app user with the SCIM resource and groups the app would push for it now. */
  async detail(appId: string, userId: string) {
    const app = await this.stores.apps.get(appId);
    const record = await this.stores.appUsers.find(appId, userId);
    if (!record) throw notFound('app user', userId);
    const user = await this.stores.users.find(userId);
    const mappable = user !== null && app.parameters.scimUsername !== null;
    return {
      ...appUserView(record),
      desired: mappable ? buildScimUser(app.connector, user, app.parameters) : record.intentResource,
      desiredGroups: mappable ? desiredGroups(app.connector, user, app.parameters) : record.intentGroups,
    };
  }

  async unassign(appId: string, userId: string): Promise<void> {
    await this.stores.apps.get(appId);
    const removed = await this.stores.redis.srem(this.keys.appDirect(appId), userId);
    if (!removed) throw notFound('assignment', `${appId}/${userId}`);
    await this.recompute(appId, [userId]);
  }

  /** Users whose assignment to `appId` differs from what is recorded get a presence or deprovision change. */
  async recompute(appId: string, userIds: string[]): Promise<void> {
    const app = await this.stores.apps.find(appId);
    if (!app) return;
    for (let i = 0; i < userIds.length; i += CHUNK)
      await this.recomputeChunk(app, userIds.slice(i, i + CHUNK));
  }

  private async recomputeChunk(app: AppRecord, userIds: string[]): Promise<void> {
    const appId = app.id;
    const p = this.stores.redis.pipeline();
    for (const userId of userIds)
      p.sismember(this.keys.appDirect(appId), userId).sintercard(
        2,
        this.keys.userRoles(userId),
        this.keys.appRoles(appId),
      );
    const answers = ((await p.exec()) ?? []).map(([, value]) => Number(value));
    const records = await this.stores.appUsers.findMany(appId, userIds);
    const users = await this.stores.users.getMany(userIds);
    const changes: Change[] = [];
    userIds.forEach((userId, i) => {
      const assigned = (answers[2 * i] ?? 0) > 0 || (answers[2 * i + 1] ?? 0) > 0;
      const user = users.get(userId);
      if (!user || (records.get(userId)?.assigned ?? false) === assigned) return;
      changes.push({
        userId,
        email: user.email,
        assigned,
        user,
        kind: assigned ? 'presence' : 'deprovision',
      });
    });
    await this.provisioning.submit(app, changes);
  }
}
