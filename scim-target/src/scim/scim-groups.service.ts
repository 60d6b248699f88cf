import type { OrgLock } from '../store/org-lock.ts';
import type { TargetStore } from '../store/target-store.ts';
import { ScimError, scimNotFound } from './scim-error.ts';
import { assertVersion, stampNew, stampUpdate } from './scim-meta.ts';
import { applyPatch } from './scim-patch.ts';
import { coerceResource, type ScimResourceJson } from './scim-schemas.ts';

export class ScimGroupsService {
  constructor(
    private readonly store: TargetStore,
    private readonly lock: OrgLock,
  ) {}

  list(orgId: string): Promise<ScimResourceJson[]> {
    return this.store.allGroups(orgId);
  }

  async get(orgId: string, id: string): Promise<ScimResourceJson> {
    const group = await this.store.getGroup(orgId, id);
    if (!group) throw scimNotFound('Group', id);
    return group;
  }

  create(orgId: string, body: unknown): Promise<ScimResourceJson> {
    const group = stampNew('Group', coerceResource('Group', body));
    return this.lock.run(orgId, async () => {
      await this.assertNameFree(orgId, group);
      await this.store.putGroups(orgId, [group]);
      return group;
    });
  }

  replace(orgId: string, id: string, body: unknown, ifMatch?: string): Promise<ScimResourceJson> {
    const incoming = coerceResource('Group', body);
    return this.save(orgId, id, ifMatch, () => incoming);
  }

  patch(orgId: string, id: string, body: unknown, ifMatch?: string): Promise<ScimResourceJson> {
    return this.save(orgId, id, ifMatch, (current) => applyPatch('Group', current, body));
  }

  delete(orgId: string, id: string, ifMatch?: string): Promise<void> {
    return this.lock.run(orgId, async () => {
      assertVersion(await this.get(orgId, id), ifMatch);
      await this.store.deleteGroup(orgId, id);
    });
  }

  /** Group names are unique in an org (as in Calendly), compared without case. */
  private async assertNameFree(orgId: string, group: ScimResourceJson): Promise<void> {
    const name = String(group.displayName).toLowerCase();
    const taken = (await this.store.allGroups(orgId)).some(
      (other) => other.id !== group.id && String(other.displayName).toLowerCase() === name,
    );
    if (taken) throw new ScimError(409, `A group named "${group.displayName}" already exists.`, 'uniqueness');
  }

  private save(
    orgId: string,
    id: string,
    ifMatch: string | undefined,
    change: (current: ScimResourceJson) => ScimResourceJson,
  ) {
    return this.lock.run(orgId, async () => {
      const current = await this.get(orgId, id);
      assertVersion(current, ifMatch);
      const next = stampUpdate(current, change(current));
      await this.assertNameFree(orgId, next);
      await this.store.putGroups(orgId, [next]);
      return next;
    });
  }
}
