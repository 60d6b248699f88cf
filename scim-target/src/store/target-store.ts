import type { RedisClient } from '../../../shared/src/redis/connection.ts';
import type { Faults, JournalEntry } from '../../../shared/src/types/target-api.ts';
import type { ScimResourceJson } from '../scim/scim-schemas.ts';

export interface OrgRecord {
  id: string;
  name: string;
  createdAt: string;
  sso: { configured: boolean; enforced: boolean };
  scimEnabled: boolean;
  strictAttributes: boolean;
  seatLimit: number | null;
  /** Only a SHA-256 of the bearer token is kept. */
  token: { hash: string; createdAt: string; expiresAt: string } | null;
  faults: Faults;
}

export interface Account {
  invitation: 'pending' | 'accepted';
  email: string | null;
  pendingEmail: string | null;
}

export interface StoredUser {
  resource: ScimResourceJson;
  account: Account;
}

const JOURNAL_LIMIT = 1000;

/**
 * Redis layout of the target; every key begins with `${keyPrefix}:{target}:`, one hash tag, so that its
 * multi-key steps also run on a Redis Cluster (the whole target on one shard: it is a test double).
 */
export class TargetStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  private key(...parts: string[]): string {
    return [this.keyPrefix, '{target}', ...parts].join(':');
  }

  private orgKeys(orgId: string) {
    const k = (name: string) => this.key('org', orgId, name);
    return {
      org: this.key('org', orgId),
      users: k('users'),
      userNames: k('user-names'),
      groups: k('groups'),
      journal: k('journal'),
      failNext: k('fail-next'),
    };
  }

  async saveOrg(org: OrgRecord): Promise<void> {
    await this.redis
      .multi()
      .set(this.orgKeys(org.id).org, JSON.stringify(org))
      .zadd(this.key('orgs'), 'NX', Date.parse(org.createdAt), org.id)
      .exec();
  }

  async getOrg(orgId: string): Promise<OrgRecord | undefined> {
    const raw = await this.redis.get(this.orgKeys(orgId).org);
    return raw ? (JSON.parse(raw) as OrgRecord) : undefined;
  }

  async listOrgs(offset: number, limit: number): Promise<{ orgs: OrgRecord[]; total: number }> {
    const [ids, total] = await Promise.all([
      this.redis.zrange(this.key('orgs'), offset, offset + limit - 1),
      this.redis.zcard(this.key('orgs')),
    ]);
    const raws = ids.length ? await this.redis.mget(ids.map((id) => this.orgKeys(id).org)) : [];
    return {
      orgs: raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as OrgRecord),
      total,
    };
  }

  async deleteOrg(orgId: string): Promise<void> {
    const keys = Object.values(this.orgKeys(orgId));
    await this.redis
      .multi()
      .del(...keys)
      .zrem(this.key('orgs'), orgId)
      .exec();
  }

  async allUsers(orgId: string): Promise<StoredUser[]> {
    const raws = await this.redis.hvals(this.orgKeys(orgId).users);
    return raws.map((r) => JSON.parse(r) as StoredUser);
  }

  async getUser(orgId: string, id: string): Promise<StoredUser | undefined> {
    const raw = await this.redis.hget(this.orgKeys(orgId).users, id);
    return raw ? (JSON.parse(raw) as StoredUser) : undefined;
  }

  async userIdByName(orgId: string, userName: string): Promise<string | undefined> {
    return (await this.redis.hget(this.orgKeys(orgId).userNames, userName.toLowerCase())) ?? undefined;
  }

  /** Writes the user and moves its case-insensitive userName index entry from `previousUserName`. */
  async putUser(orgId: string, user: StoredUser, previousUserName?: string): Promise<void> {
    const keys = this.orgKeys(orgId);
    const id = String(user.resource.id);
    const tx = this.redis.multi();
    if (previousUserName) tx.hdel(keys.userNames, previousUserName.toLowerCase());
    tx.hset(keys.userNames, String(user.resource.userName).toLowerCase(), id);
    tx.hset(keys.users, id, JSON.stringify(user));
    await tx.exec();
  }

  async deleteUser(orgId: string, user: StoredUser): Promise<void> {
    const keys = this.orgKeys(orgId);
    await this.redis
      .multi()
      .hdel(keys.users, String(user.resource.id))
      .hdel(keys.userNames, String(user.resource.userName).toLowerCase())
      .exec();
  }

  async allGroups(orgId: string): Promise<ScimResourceJson[]> {
    const raws = await this.redis.hvals(this.orgKeys(orgId).groups);
    return raws.map((r) => JSON.parse(r) as ScimResourceJson);
  }

  async getGroup(orgId: string, id: string): Promise<ScimResourceJson | undefined> {
    const raw = await this.redis.hget(this.orgKeys(orgId).groups, id);
    return raw ? (JSON.parse(raw) as ScimResourceJson) : undefined;
  }

  async putGroups(orgId: string, groups: ScimResourceJson[]): Promise<void> {
    if (groups.length === 0) return;
    const entries = groups.flatMap((g) => [String(g.id), JSON.stringify(g)]);
    await this.redis.hset(this.orgKeys(orgId).groups, ...entries);
  }

  async deleteGroup(orgId: string, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.orgKeys(orgId).groups, id)) === 1;
  }

  async appendJournal(orgId: string, entry: JournalEntry): Promise<void> {
    const key = this.orgKeys(orgId).journal;
    await this.redis.multi().rpush(key, JSON.stringify(entry)).ltrim(key, -JOURNAL_LIMIT, -1).exec();
  }

  async readJournal(orgId: string, offset: number, limit: number): Promise<JournalEntry[]> {
    const raws = await this.redis.lrange(this.orgKeys(orgId).journal, offset, offset + limit - 1);
    return raws.map((r) => JSON.parse(r) as JournalEntry);
  }

  /** Replaces the scripted failures: one list entry per request still to fail. */
  async setFailNext(orgId: string, statuses: number[]): Promise<void> {
    const key = this.orgKeys(orgId).failNext;
    const tx = this.redis.multi().del(key);
    if (statuses.length) tx.rpush(key, ...statuses.map(String));
    await tx.exec();
  }

  async takeFailNext(orgId: string): Promise<number | undefined> {
    const status = await this.redis.lpop(this.orgKeys(orgId).failNext);
    return status === null ? undefined : Number(status);
  }

  async remainingFailNext(orgId: string): Promise<number[]> {
    return (await this.redis.lrange(this.orgKeys(orgId).failNext, 0, -1)).map(Number);
  }

  /** Counts a request in the org's current one-second window and returns the count so far. */
  async countRequest(orgId: string, second: number): Promise<number> {
    const key = this.key('org', orgId, 'rate', String(second));
    const [[, count] = []] = (await this.redis.multi().incr(key).expire(key, 2).exec()) ?? [];
    return Number(count);
  }
}
