import type { ChainableCommander, Redis } from 'ioredis';
import type { ScimUser } from '../mapping/scim-user.ts';
import { APP_USER_STATES, type AppUser, type AppUserState, type Task } from '../types/task.schema.ts';
import { decodeCursor, nextCursor } from './cursor.ts';
import type { StoreKeys } from './keys.ts';

/** What the last approved task asks the target to hold for this user. */
export type Intent = 'active' | 'suspended' | 'absent';

/** The full record of one user of one app, as kept in its Redis hash. */
export interface AppUserRecord extends AppUser {
  intent: Intent | null;
  intentResource: ScimUser | null;
  intentGroups: string[];
  pushedResource: ScimUser | null;
  pushedGroups: string[];
}

/**
 * Writes the given fields (creating the record and its index entry when new), then derives the user's
 * state from them (pending task, queued tasks, last outcome, what the target holds) and moves it between
 * the per-state indexes, all in one step, so counts and `?state=` never scan.
 * KEYS: record hash, queued-task set, app users index. ARGV: state index prefix, userId, now ms, now ISO, field/value pairs.
 */
const WRITE_APP_USER = `
local h = KEYS[1]
redis.call('HSETNX', h, 'userId', ARGV[2])
redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[2])
if #ARGV > 4 then redis.call('HSET', h, unpack(ARGV, 5)) end
local f = redis.call('HMGET', h, 'state', 'pendingTaskId', 'outcome', 'externalId', 'pushedActive')
local state
if f[2] and f[2] ~= '' then state = 'pending'
elseif redis.call('SCARD', KEYS[2]) > 0 then state = 'queued'
elseif f[3] == 'failed' then state = 'failed'
elseif f[3] == 'denied' then state = 'denied'
elseif f[4] and f[4] ~= '' then
  if f[5] == '0' then state = 'suspended' else state = 'provisioned' end
else state = 'deprovisioned' end
if f[1] and f[1] ~= '' and f[1] ~= state then redis.call('ZREM', ARGV[1] .. f[1], ARGV[2]) end
if f[1] ~= state then redis.call('ZADD', ARGV[1] .. state, ARGV[3], ARGV[2]) end
redis.call('HSET', h, 'state', state, 'updatedAt', ARGV[4])
return state
`;

/** KEYS: queued-task set, record hash. ARGV: task key prefix. Returns {record as field/value list, task JSONs ('' when gone)}. */
const LOAD_FOR_PUSH = `
local ids = redis.call('SMEMBERS', KEYS[1])
local record = redis.call('HGETALL', KEYS[2])
local tasks = {}
for i, id in ipairs(ids) do tasks[i] = redis.call('GET', ARGV[1] .. id) or '' end
return {record, tasks}
`;

type WithScripts = {
  provisimWriteAppUser(...args: string[]): unknown;
  provisimLoadForPush(...args: string[]): Promise<unknown>;
};

const json = <T>(raw: string | undefined, fallback: T): T => (raw ? (JSON.parse(raw) as T) : fallback);
const orNull = (raw: string | undefined): string | null => (raw ? raw : null);

function fromHash(h: Record<string, string>): AppUserRecord {
  return {
    userId: h.userId ?? '',
    email: h.email ?? '',
    state: (h.state as AppUserState) || 'deprovisioned',
    assigned: h.assigned === '1',
    pendingTaskId: orNull(h.pendingTaskId),
    externalId: orNull(h.externalId),
    lastError: orNull(h.lastError),
    updatedAt: h.updatedAt ?? '',
    intent: (orNull(h.intent) as Intent | null) ?? null,
    intentResource: json<ScimUser | null>(h.intentResource, null),
    intentGroups: json<string[]>(h.intentGroups, []),
    pushedResource: json<ScimUser | null>(h.pushedResource, null),
    pushedGroups: json<string[]>(h.pushedGroups, []),
  };
}

/** Field updates a caller may queue; JSON values are serialised here. */
export interface AppUserPatch {
  email?: string;
  assigned?: boolean;
  pendingTaskId?: string | null;
  externalId?: string | null;
  lastError?: string | null;
  outcome?: 'ok' | 'failed' | 'denied' | '';
  intent?: Intent | null;
  intentResource?: ScimUser | null;
  intentGroups?: string[];
  pushedResource?: ScimUser | null;
  pushedGroups?: string[];
}

function toFields(patch: AppUserPatch): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'assigned') fields[key] = value ? '1' : '0';
    else if (
      key === 'intentResource' ||
      key === 'pushedResource' ||
      key === 'intentGroups' ||
      key === 'pushedGroups'
    )
      fields[key] = value === null ? '' : JSON.stringify(value);
    else fields[key] = value === null ? '' : String(value);
  }
  if (patch.pushedResource !== undefined)
    fields.pushedActive = patch.pushedResource?.active === false ? '0' : '1';
  return fields;
}

/** Per-app user records with state indexes; writes are queued on a caller's pipeline so bulk work is one round trip. */
export class AppUsersStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {
    if (!('provisimWriteAppUser' in redis)) {
      redis.defineCommand('provisimWriteAppUser', { numberOfKeys: 3, lua: WRITE_APP_USER });
      redis.defineCommand('provisimLoadForPush', { numberOfKeys: 2, lua: LOAD_FOR_PUSH });
    }
  }

  async find(appId: string, userId: string): Promise<AppUserRecord | null> {
    const h = await this.redis.hgetall(this.keys.appUser(appId, userId));
    return h.userId ? fromHash(h) : null;
  }

  /** What a push job reconciles from, read atomically in one round trip: its queued tasks and the record. */
  async loadForPush(
    appId: string,
    userId: string,
  ): Promise<{ record: AppUserRecord | null; queued: Task[] }> {
    const [flat, raws] = (await (this.redis as unknown as WithScripts).provisimLoadForPush(
      this.keys.appUserQueued(appId, userId),
      this.keys.appUser(appId, userId),
      this.keys.task(''),
    )) as [string[], string[]];
    const h: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i] as string] = flat[i + 1] as string;
    return {
      record: h.userId ? fromHash(h) : null,
      queued: raws.filter((raw) => raw !== '').map((raw) => JSON.parse(raw) as Task),
    };
  }

  async findMany(appId: string, userIds: string[]): Promise<Map<string, AppUserRecord>> {
    const found = new Map<string, AppUserRecord>();
    for (let i = 0; i < userIds.length; i += 1000) {
      const p = this.redis.pipeline();
      const chunk = userIds.slice(i, i + 1000);
      for (const userId of chunk) p.hgetall(this.keys.appUser(appId, userId));
      const results = (await p.exec()) ?? [];
      results.forEach(([err, h], index) => {
        const userId = chunk[index];
        if (!err && userId && (h as Record<string, string>).userId)
          found.set(userId, fromHash(h as Record<string, string>));
      });
    }
    return found;
  }

  /** Queues one script call that writes the fields and refreshes the state (creating the record when new). */
  write(p: ChainableCommander, appId: string, userId: string, patch: AppUserPatch = {}): void {
    (p as unknown as WithScripts).provisimWriteAppUser(...this.writeArgs(appId, userId, patch));
  }

  /** `write` on its own, without a pipeline: one script call is atomic already. */
  async writeNow(appId: string, userId: string, patch: AppUserPatch): Promise<void> {
    await (this.redis as unknown as WithScripts).provisimWriteAppUser(
      ...this.writeArgs(appId, userId, patch),
    );
  }

  private writeArgs(appId: string, userId: string, patch: AppUserPatch): string[] {
    const now = new Date();
    return [
      this.keys.appUser(appId, userId),
      this.keys.appUserQueued(appId, userId),
      this.keys.appUsers(appId),
      this.keys.appState(appId, ''),
      userId,
      String(now.getTime()),
      now.toISOString(),
      ...Object.entries(toFields(patch)).flat(),
    ];
  }

  setAssigned(p: ChainableCommander, appId: string, userId: string, assigned: boolean): void {
    if (assigned) p.sadd(this.keys.appAssigned(appId), userId).sadd(this.keys.userApps(userId), appId);
    else p.srem(this.keys.appAssigned(appId), userId).srem(this.keys.userApps(userId), appId);
  }

  addQueuedTask(p: ChainableCommander, appId: string, userId: string, taskId: string): void {
    p.sadd(this.keys.appUserQueued(appId, userId), taskId);
  }

  removeQueuedTasks(p: ChainableCommander, appId: string, userId: string, taskIds: string[]): void {
    if (taskIds.length > 0) p.srem(this.keys.appUserQueued(appId, userId), ...taskIds);
  }

  assignedIds(appId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.appAssigned(appId));
  }

  allIds(appId: string): Promise<string[]> {
    return this.redis.zrange(this.keys.appUsers(appId), 0, -1);
  }

  /** Apps the user is assigned to (directly or through a role). */
  appsOfUser(userId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.userApps(userId));
  }

  async counts(
    appId: string,
  ): Promise<{ assigned: number; pending: number; provisioned: number; failed: number }> {
    const k = this.keys;
    const [assigned, pending, provisioned, failed] = (await this.redis
      .multi()
      .scard(k.appAssigned(appId))
      .zcard(k.appState(appId, 'pending'))
      .zcard(k.appState(appId, 'provisioned'))
      .zcard(k.appState(appId, 'failed'))
      .exec()) as Array<[Error | null, number]>;
    return {
      assigned: assigned?.[1] ?? 0,
      pending: pending?.[1] ?? 0,
      provisioned: provisioned?.[1] ?? 0,
      failed: failed?.[1] ?? 0,
    };
  }

  async list(
    appId: string,
    page: { state?: AppUserState; limit: number; cursor?: string },
  ): Promise<{ items: AppUserRecord[]; nextCursor: string | null }> {
    const offset = decodeCursor(page.cursor);
    const index = page.state ? this.keys.appState(appId, page.state) : this.keys.appUsers(appId);
    const ids = await this.redis.zrange(index, offset, offset + page.limit - 1);
    const records = await this.findMany(appId, ids);
    const items = ids.map((id) => records.get(id)).filter((r): r is AppUserRecord => r !== undefined);
    return { items, nextCursor: nextCursor(offset, ids.length, page.limit) };
  }
}

export const isAppUserState = (value: string): value is AppUserState =>
  (APP_USER_STATES as readonly string[]).includes(value);

/** The contract's view of an app user (internal fields dropped). */
export function appUserView(r: AppUserRecord): AppUser {
  return {
    userId: r.userId,
    email: r.email,
    state: r.state,
    assigned: r.assigned,
    pendingTaskId: r.pendingTaskId,
    externalId: r.externalId,
    lastError: r.lastError,
    updatedAt: r.updatedAt,
  };
}
