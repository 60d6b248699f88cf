import type { Filter } from 'scim2-parse-filter';
import type { OrgLock } from '../store/org-lock.ts';
import type { Account, OrgRecord, StoredUser, TargetStore } from '../store/target-store.ts';
import { ScimError, scimBadRequest, scimNotFound } from './scim-error.ts';
import { userNameLookup } from './scim-filter.ts';
import { assertVersion, stampNew, stampUpdate } from './scim-meta.ts';
import { applyPatch } from './scim-patch.ts';
import { coerceResource, type ScimResourceJson } from './scim-schemas.ts';

/** What Calendly accepts on a user in strict mode. */
const STRICT_USER_ATTRIBUTES = ['userName', 'displayName', 'active', 'externalId'];
const IGNORED_IN_STRICT = ['schemas', 'id', 'meta'];

function assertStrict(org: OrgRecord, keys: string[]): void {
  if (!org.strictAttributes) return;
  const allowed = [...STRICT_USER_ATTRIBUTES, ...IGNORED_IN_STRICT].map((a) => a.toLowerCase());
  const rejected = keys.filter((k) => !allowed.includes(k.toLowerCase()));
  if (rejected.length)
    throw scimBadRequest(
      'invalidValue',
      `Unsupported attribute(s): ${rejected.join(', ')}. This organization accepts only ${STRICT_USER_ATTRIBUTES.join(', ')} on users.`,
    );
}

const keysOf = (body: unknown): string[] =>
  typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];

const isActive = (resource: ScimResourceJson) => resource.active !== false;

/** The address Calendly mails: the primary email, else the first one, else a userName that is an address. */
function emailOf(resource: ScimResourceJson): string | null {
  const emails = Array.isArray(resource.emails)
    ? (resource.emails as { value?: string; primary?: boolean }[])
    : [];
  const chosen = emails.find((e) => e.primary === true) ?? emails[0];
  if (chosen?.value) return chosen.value;
  const userName = String(resource.userName ?? '');
  return userName.includes('@') ? userName : null;
}

/** An email change waits for the user to verify it; the verified address stays in use until then. */
function accountAfterUpdate(account: Account, resource: ScimResourceJson): Account {
  const next = emailOf(resource);
  if (next === null || next.toLowerCase() === account.email?.toLowerCase())
    return { ...account, pendingEmail: null };
  if (account.email === null) return { ...account, email: next, pendingEmail: null };
  return { ...account, pendingEmail: next };
}

export class ScimUsersService {
  constructor(
    private readonly store: TargetStore,
    private readonly lock: OrgLock,
  ) {}

  /** Adds the read-only `groups` attribute (RFC 7643 §4.1.2), derived from the org's groups. */
  async withGroups(orgId: string, resources: ScimResourceJson[]): Promise<ScimResourceJson[]> {
    const groups = await this.store.allGroups(orgId);
    if (groups.length === 0) return resources;
    return resources.map((resource) => {
      const held = groups
        .filter((g) => Array.isArray(g.members) && g.members.some((m) => m?.value === resource.id))
        .map((g) => ({ value: g.id, display: g.displayName, type: 'direct' }));
      return held.length ? { ...resource, groups: held } : resource;
    });
  }

  async list(orgId: string, filter?: Filter): Promise<ScimResourceJson[]> {
    const userName = filter ? userNameLookup(filter) : undefined;
    if (userName === undefined) return (await this.store.allUsers(orgId)).map((u) => u.resource);
    const id = await this.store.userIdByName(orgId, userName);
    const user = id ? await this.store.getUser(orgId, id) : undefined;
    return user ? [user.resource] : [];
  }

  async get(orgId: string, id: string): Promise<StoredUser> {
    const user = await this.store.getUser(orgId, id);
    if (!user) throw scimNotFound('User', id);
    return user;
  }

  create(org: OrgRecord, body: unknown): Promise<ScimResourceJson> {
    assertStrict(org, keysOf(body));
    const resource = stampNew('User', coerceResource('User', body));
    return this.lock.run(org.id, async () => {
      await this.assertUniqueUserName(org.id, String(resource.userName));
      if (isActive(resource)) await this.assertSeatAvailable(org);
      const account: Account = { invitation: 'pending', email: emailOf(resource), pendingEmail: null };
      await this.store.putUser(org.id, { resource, account });
      return resource;
    });
  }

  replace(org: OrgRecord, id: string, body: unknown, ifMatch?: string): Promise<ScimResourceJson> {
    assertStrict(org, keysOf(body));
    const incoming = coerceResource('User', body);
    return this.lock.run(org.id, () => this.save(org, id, ifMatch, () => incoming));
  }

  patch(org: OrgRecord, id: string, body: unknown, ifMatch?: string): Promise<ScimResourceJson> {
    return this.lock.run(org.id, () =>
      this.save(org, id, ifMatch, (current) => {
        const patched = applyPatch('User', current, body);
        const added = Object.keys(patched).filter((k) => !(k in current));
        assertStrict(org, added);
        return patched;
      }),
    );
  }

  delete(orgId: string, id: string, ifMatch?: string): Promise<void> {
    return this.lock.run(orgId, async () => {
      const user = await this.get(orgId, id);
      assertVersion(user.resource, ifMatch);
      await this.store.deleteUser(orgId, user);
      const groups = await this.store.allGroups(orgId);
      const holding = groups.filter(
        (g) => Array.isArray(g.members) && g.members.some((m) => m?.value === id),
      );
      await this.store.putGroups(
        orgId,
        holding.map((g) =>
          stampUpdate(g, { ...g, members: (g.members as { value: string }[]).filter((m) => m.value !== id) }),
        ),
      );
    });
  }

  private async save(
    org: OrgRecord,
    id: string,
    ifMatch: string | undefined,
    change: (current: ScimResourceJson) => ScimResourceJson,
  ) {
    const user = await this.get(org.id, id);
    assertVersion(user.resource, ifMatch);
    const next = stampUpdate(user.resource, change(user.resource));
    const previousName = String(user.resource.userName);
    if (String(next.userName).toLowerCase() !== previousName.toLowerCase())
      await this.assertUniqueUserName(org.id, String(next.userName));
    if (isActive(next) && !isActive(user.resource)) await this.assertSeatAvailable(org);
    await this.store.putUser(
      org.id,
      { resource: next, account: accountAfterUpdate(user.account, next) },
      previousName,
    );
    return next;
  }

  private async assertUniqueUserName(orgId: string, userName: string): Promise<void> {
    if (await this.store.userIdByName(orgId, userName))
      throw new ScimError(409, `A user with userName "${userName}" already exists.`, 'uniqueness');
  }

  private async assertSeatAvailable(org: OrgRecord): Promise<void> {
    if (org.seatLimit === null) return;
    const active = (await this.store.allUsers(org.id)).filter((u) => isActive(u.resource)).length;
    if (active >= org.seatLimit)
      throw new ScimError(
        400,
        `Seat limit reached: all ${org.seatLimit} seats of this organization are taken by active users. Free a seat or raise the limit.`,
        'invalidValue',
      );
  }
}
