import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError, conflict, notFound } from '../../../shared/src/errors/app-error.ts';
import type {
  Faults,
  LoginAttempt,
  OrgView,
  OutOfBandChange,
  TargetGroupView,
  TargetUserView,
} from '../../../shared/src/types/target-api.ts';
import { ScimError } from '../scim/scim-error.ts';
import { stampUpdate } from '../scim/scim-meta.ts';
import type { OrgLock } from '../store/org-lock.ts';
import type { OrgRecord, StoredUser, TargetStore } from '../store/target-store.ts';

const DAY_MS = 86_400_000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, rateLimit: null, failNext: [] };

function userView(user: StoredUser): TargetUserView {
  const r = user.resource;
  return {
    scimId: String(r.id),
    userName: String(r.userName),
    displayName: typeof r.displayName === 'string' ? r.displayName : null,
    externalId: typeof r.externalId === 'string' ? r.externalId : null,
    active: r.active !== false,
    invitation: user.account.invitation,
    email: user.account.email,
    pendingEmail: user.account.pendingEmail,
    createdAt: (r.meta as { created: string }).created,
  };
}

/** The organization settings side of the Calendly-like target (what its admin screens do). */
export class OrgsService {
  constructor(
    private readonly store: TargetStore,
    private readonly lock: OrgLock,
    private readonly scimBaseUrl: (orgId: string) => string,
  ) {}

  view(org: OrgRecord): OrgView {
    const { token, faults: _faults, ...rest } = org;
    return {
      ...rest,
      scimBaseUrl: this.scimBaseUrl(org.id),
      token: token ? { createdAt: token.createdAt, expiresAt: token.expiresAt } : null,
    };
  }

  async create(input: {
    name: string;
    strictAttributes: boolean;
    seatLimit: number | null;
  }): Promise<OrgRecord> {
    const org: OrgRecord = {
      id: randomUUID(),
      createdAt: new Date().toISOString(),
      sso: { configured: false, enforced: false },
      scimEnabled: false,
      token: null,
      faults: NO_FAULTS,
      ...input,
    };
    await this.store.saveOrg(org);
    return org;
  }

  async get(orgId: string): Promise<OrgRecord> {
    const org = await this.store.getOrg(orgId);
    if (!org) throw notFound('Organization', orgId);
    return org;
  }

  async delete(orgId: string): Promise<void> {
    await this.get(orgId);
    await this.lock.run(orgId, () => this.store.deleteOrg(orgId));
  }

  update(orgId: string, change: (org: OrgRecord) => OrgRecord): Promise<OrgRecord> {
    return this.lock.run(orgId, async () => {
      const next = change(await this.get(orgId));
      await this.store.saveOrg(next);
      return next;
    });
  }

  setSso(orgId: string, sso: { configured: boolean; enforced: boolean }): Promise<OrgRecord> {
    if (sso.enforced && !sso.configured)
      throw conflict('sso_not_configured', 'SAML SSO must be configured before it can be enforced.');
    return this.update(orgId, (org) => ({ ...org, sso }));
  }

  setScim(orgId: string, enabled: boolean): Promise<OrgRecord> {
    return this.update(orgId, (org) => {
      if (enabled && !(org.sso.configured && org.sso.enforced))
        throw conflict(
          'sso_required',
          'SCIM provisioning can be turned on only when SAML SSO is configured and enforced.',
          { sso: org.sso },
        );
      return { ...org, scimEnabled: enabled };
    });
  }

  /** A new token replaces (and so revokes) the previous one; only its hash is stored. */
  async generateToken(orgId: string, lifetimeDays: number): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const expiresAt = new Date(now + lifetimeDays * DAY_MS).toISOString();
    await this.update(orgId, (org) => {
      if (!org.scimEnabled)
        throw conflict('scim_disabled', 'Turn on SCIM provisioning before generating a bearer token.');
      return { ...org, token: { hash: hashToken(token), createdAt: new Date(now).toISOString(), expiresAt } };
    });
    return { token, expiresAt };
  }

  /** The SCIM side's check of `Authorization: Bearer`: RFC 7644 errors, never the contract's. */
  authenticate(org: OrgRecord, presented: string | undefined): void {
    const header = { 'WWW-Authenticate': 'Bearer realm="provisim-target"' };
    if (!presented) throw new ScimError(401, 'A bearer token is required.', undefined, header);
    const token = org.token;
    if (!token || !timingSafeEqual(Buffer.from(hashToken(presented), 'hex'), Buffer.from(token.hash, 'hex')))
      throw new ScimError(401, 'The bearer token is not valid.', undefined, header);
    if (Date.parse(token.expiresAt) <= Date.now())
      throw new ScimError(401, 'The bearer token has expired; generate a new one.', undefined, header);
    if (!org.scimEnabled) throw new ScimError(403, 'SCIM provisioning is turned off for this organization.');
  }

  async users(orgId: string): Promise<TargetUserView[]> {
    await this.get(orgId);
    const users = await this.store.allUsers(orgId);
    return users
      .map(userView)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.scimId.localeCompare(b.scimId));
  }

  private async changeAccount(orgId: string, scimId: string, change: (user: StoredUser) => StoredUser) {
    await this.get(orgId);
    return this.lock.run(orgId, () => this.changeAccountLocked(orgId, scimId, change));
  }

  private async changeAccountLocked(orgId: string, scimId: string, change: (user: StoredUser) => StoredUser) {
    const user = await this.store.getUser(orgId, scimId);
    if (!user) throw notFound('User', scimId);
    const next = change(user);
    await this.store.putUser(orgId, next, String(user.resource.userName));
    return userView(next);
  }

  /** The org's groups by name, each member with its userName (null for an id that is not a user here). */
  async groups(orgId: string): Promise<TargetGroupView[]> {
    await this.get(orgId);
    const [groups, users] = await Promise.all([this.store.allGroups(orgId), this.store.allUsers(orgId)]);
    const userNames = new Map(users.map((u) => [String(u.resource.id), String(u.resource.userName)]));
    return groups
      .map((g) => ({
        scimId: String(g.id),
        displayName: String(g.displayName),
        externalId: typeof g.externalId === 'string' ? g.externalId : null,
        members: (Array.isArray(g.members) ? (g.members as { value?: unknown }[]) : []).map((m) => ({
          value: String(m.value),
          userName: userNames.get(String(m.value)) ?? null,
        })),
        createdAt: (g.meta as { created: string }).created,
      }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.scimId.localeCompare(b.scimId));
  }

  /**
   * Simulation: an admin of the target edits or deactivates a person in its own screens, so the
   * identity provider's next import finds drift. Not a SCIM request, so not in the request journal.
   */
  async simulateChange(orgId: string, scimId: string, change: OutOfBandChange) {
    await this.get(orgId);
    return this.lock.run(orgId, async () => {
      if (change.userName !== undefined) {
        const holder = await this.store.userIdByName(orgId, change.userName);
        if (holder !== undefined && holder !== scimId)
          throw conflict('user_name_taken', `${change.userName} is already another person's userName.`, {
            field: 'userName',
          });
      }
      return this.changeAccountLocked(orgId, scimId, (u) => ({
        ...u,
        resource: stampUpdate(u.resource, { ...u.resource, ...change }),
      }));
    });
  }

  acceptInvitation(orgId: string, scimId: string) {
    return this.changeAccount(orgId, scimId, (u) => ({
      ...u,
      account: { ...u.account, invitation: 'accepted' },
    }));
  }

  verifyEmail(orgId: string, scimId: string) {
    return this.changeAccount(orgId, scimId, (u) => {
      if (!u.account.pendingEmail)
        throw conflict('no_pending_email', 'This user has no email change to verify.');
      return { ...u, account: { ...u.account, email: u.account.pendingEmail, pendingEmail: null } };
    });
  }

  /** What a person signing in would meet. */
  async login(orgId: string, userName: string): Promise<{ userName: string; scimId: string }> {
    await this.get(orgId);
    const id = await this.store.userIdByName(orgId, userName);
    const user = id ? await this.store.getUser(orgId, id) : undefined;
    if (!user) throw new AppError(403, 'not_provisioned', `${userName} has no account in this organization.`);
    if (user.resource.active === false)
      throw new AppError(403, 'suspended', `${userName}'s account is suspended.`);
    if (user.account.invitation === 'pending')
      throw new AppError(403, 'invitation_pending', `${userName} has not accepted the invitation yet.`);
    return { userName: String(user.resource.userName), scimId: String(user.resource.id) };
  }

  /** `login`'s outcome as an answer: a refusal comes back with its code instead of a 403. */
  async attemptLogin(orgId: string, userName: string): Promise<LoginAttempt> {
    try {
      return { allowed: true, ...(await this.login(orgId, userName)) };
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 403) throw err;
      return {
        allowed: false,
        code: err.code as Extract<LoginAttempt, { allowed: false }>['code'],
        message: err.message,
      };
    }
  }

  async setFaults(orgId: string, faults: Faults): Promise<Faults> {
    await this.update(orgId, (org) => ({ ...org, faults }));
    await this.store.setFailNext(
      orgId,
      faults.failNext.flatMap(({ status, count }) => Array.from({ length: count }, () => status)),
    );
    return this.faults(orgId);
  }

  /** The faults in force; `failNext` lists what is still to fail. */
  async faults(orgId: string): Promise<Faults> {
    const org = await this.get(orgId);
    const remaining = await this.store.remainingFailNext(orgId);
    const failNext: Faults['failNext'] = [];
    for (const status of remaining) {
      const last = failNext.at(-1);
      if (last?.status === status) last.count += 1;
      else failNext.push({ status, count: 1 });
    }
    return { ...org.faults, failNext };
  }
}
