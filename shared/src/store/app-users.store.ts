import type { ScimUser } from '../mapping/scim-user.ts';
import { type Command, type RedisClient, sendTogether } from '../redis/connection.ts';
import { LuaScript } from '../redis/lua-script.ts';
import { APP_USER_STATES, type AppUser, type AppUserState, type Task } from '../types/task.schema.ts';
import {
  RECORD_FIELD as F,
  readResource,
  readTime,
  STORED_FORMS_LUA,
  storedFields,
} from './app-user-form.ts';
import { cursorOffset, nextCursor } from './cursor.ts';
import { IdsInWriteOrder } from './ids-in-write-order.ts';
import type { StoreKeys } from './keys.ts';
import { decodeTask } from './task-codec.ts';
import { readUserRoles } from './user-roles.ts';

/** What the last approved task asks the target to hold for this user. */
export type Intent = 'active' | 'suspended' | 'absent';

/** The full record of one user of one app, as kept in its Redis hash. */
export interface AppUserRecord extends AppUser {
  intent: Intent | null;
  intentResource: ScimUser | null;
  intentGroups: string[];
  pushedResource: ScimUser | null;
  pushedGroups: string[];
  /** The userName of a create sent to the target whose answer is not recorded yet (an account may exist). */
  creating: string | null;
  /** Bumped by every write: a transition's guard that nothing changed since it read the record. */
  rev: string;
}

/** Who pushes the user (the push job's id) and for how long at most. */
export interface PushLease {
  owner: string;
  ms: number;
}

/** A lease a push took: its owner and when it ends, which together name this push's hold on the user. */
export interface HeldLease {
  owner: string;
  until: number;
}

/**
 * A push's start: what it reconciles from, the lease it took and `creating`, the userName of the create
 * it recorded (null when the push will not create the account, or the user is no longer wanted); or
 * when the other push of the user holding it ends.
 */
export type PushLoad =
  | { record: AppUserRecord | null; queued: Task[]; lease: HeldLease; creating: string | null }
  | { busyUntil: number };

/** A push about to start: whose, and the lease it asks for. */
export interface PushStart {
  userId: string;
  lease: PushLease;
}

const LOAD_FOR_PUSH = new LuaScript(...STORED_FORMS_LUA, new URL('./load-for-push.lua', import.meta.url));

const json = <T>(raw: string | undefined, fallback: T): T => (raw ? (JSON.parse(raw) as T) : fallback);
const orNull = (raw: string | undefined): string | null => (raw ? raw : null);

/** A stored pushed resource equal to the intended one (stored-forms.lua writes it so). */
const SAME_AS_INTENT = '=';

/** The record `userId`'s hash holds (in either stored form, see app-user-form.ts), null for none. */
function fromHash(stored: Record<string, string>, userId: string): AppUserRecord | null {
  const h = storedFields(stored);
  if (!h[F.rev] && !h[F.userId]) return null;
  const intentResource = readResource(h[F.intentResource], userId);
  return {
    userId,
    email: h[F.email] ?? '',
    state: (h[F.state] as AppUserState) || 'deprovisioned',
    assigned: h[F.assigned] === '1',
    pendingTaskId: orNull(h[F.pendingTaskId]),
    externalId: orNull(h[F.externalId]),
    lastError: orNull(h[F.lastError]),
    updatedAt: readTime(h[F.updatedAt]),
    intent: (orNull(h[F.intent]) as Intent | null) ?? null,
    intentResource,
    intentGroups: json<string[]>(h[F.intentGroups], []),
    pushedResource:
      h[F.pushedResource] === SAME_AS_INTENT ? intentResource : readResource(h[F.pushedResource], userId),
    pushedGroups: json<string[]>(h[F.pushedGroups], []),
    creating: orNull(h[F.creating]),
    rev: h[F.rev] ?? '',
  };
}

/** load-for-push.lua's answer for one push. */
/** load-for-push.lua's answer for one push: the record's fields, the queued task ids, their tasks, `creating`. */
type LoadReply = ['ok', string[], string[], string[], string] | ['busy', string];

function loadOf(appId: string, userId: string, reply: LoadReply, lease: HeldLease): PushLoad {
  if (reply[0] === 'busy') return { busyUntil: Number(reply[1]) };
  const [, flat, ids, raws, creating] = reply;
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i] as string] = flat[i + 1] as string;
  const queued: Task[] = [];
  raws.forEach((raw, i) => {
    if (raw !== '') queued.push(decodeTask(raw, { appId, id: ids[i] as string }));
  });
  return { record: fromHash(h, userId), queued, lease, creating: orNull(creating) };
}

/** Per-app user records and their state indexes (read side; the lifecycle writes them, see transition.ts). */
export class AppUsersStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  readonly fromHash = fromHash;

  async find(appId: string, userId: string): Promise<AppUserRecord | null> {
    return fromHash(await this.redis.hgetall(this.keys.appUser(appId, userId)), userId);
  }

  /**
   * What a push reconciles from, read atomically in one round trip (its queued tasks and the record),
   * and the push's lease on the user for `lease.ms`: one push of a user at a time. While another push
   * holds it, answers when that lease ends instead. The lease's owner (the push job) takes it again
   * on a retry; the push's finish releases it (`Transition.releaseLease`). A push that will create the
   * account has the create recorded in the same step (see load-for-push.lua): the step before its POST.
   */
  async loadForPush(appId: string, userId: string, lease: PushLease): Promise<PushLoad> {
    return (await this.loadForPushMany(appId, [{ userId, lease }]))[0] as PushLoad;
  }

  /** `loadForPush` of several users of the app in one script call, each its own atomic step; one answer per push, in order. */
  async loadForPushMany(appId: string, pushes: PushStart[]): Promise<PushLoad[]> {
    const now = Date.now();
    const held = pushes.map(({ lease }): HeldLease => ({ owner: lease.owner, until: now + lease.ms }));
    const replies = await LOAD_FOR_PUSH.run<LoadReply[]>(this.redis, {
      keys: pushes.flatMap(({ userId }) => [
        this.keys.appUserQueued(appId, userId),
        this.keys.appUser(appId, userId),
      ]),
      args: [
        this.keys.task(appId, ''),
        String(now),
        ...held.flatMap((lease) => [lease.owner, String(lease.until)]),
      ],
    });
    return replies.map((reply, i) =>
      loadOf(appId, (pushes[i] as PushStart).userId, reply, held[i] as HeldLease),
    );
  }

  async findMany(appId: string, userIds: string[]): Promise<Map<string, AppUserRecord>> {
    const found = new Map<string, AppUserRecord>();
    for (let i = 0; i < userIds.length; i += 1000) {
      const p = this.redis.pipeline();
      const chunk = userIds.slice(i, i + 1000);
      for (const userId of chunk) p.hgetall(this.keys.appUser(appId, userId));
      const results = (await p.exec()) ?? [];
      results.forEach(([err, h], index) => {
        const userId = chunk[index] as string;
        const record = err ? null : fromHash(h as Record<string, string>, userId);
        if (record) found.set(userId, record);
      });
    }
    return found;
  }

  /** The app's assigned users: every bucket's (a rare read: reapplying the mappings), then the set stores kept before. */
  async assignedIds(appId: string): Promise<string[]> {
    const k = this.keys;
    const replies = await sendTogether(this.redis, [
      ...k.allAppAssigned(appId).map((bucket): Command => ['hkeys', bucket]),
      ['smembers', k.appAssignedBefore(appId)],
    ]);
    return (replies as string[][]).flat();
  }

  allIds(appId: string): Promise<string[]> {
    return this.ids(appId).all();
  }

  private ids(appId: string): IdsInWriteOrder {
    return new IdsInWriteOrder(this.redis, this.keys.appUsersBefore(appId), this.keys.appUserIds(appId));
  }

  /** Apps that know the user: they hold its record, or assign it (directly or through a role). */
  async appsOfUser(userId: string): Promise<string[]> {
    const k = this.keys;
    const [appIds, [roleIds = []]] = await Promise.all([
      this.redis.zrange(k.apps, 0, -1),
      readUserRoles(this.redis, k, [userId]),
    ]);
    // A user without roles asks whether the app grants a role nobody holds: '' is never a role id.
    const replies = await sendTogether(
      this.redis,
      appIds.flatMap((appId): Command[] => [
        ['exists', k.appUser(appId, userId)],
        ['sismember', k.appDirect(appId), userId],
        ['smismember', k.appRoles(appId), ...(roleIds.length > 0 ? roleIds : [''])],
      ]),
    );
    const grants = (reply: unknown) => (reply as number[]).some((member) => member === 1);
    return appIds.filter(
      (_, i) => Number(replies[i * 3]) > 0 || Number(replies[i * 3 + 1]) > 0 || grants(replies[i * 3 + 2]),
    );
  }

  async counts(
    appId: string,
  ): Promise<{ assigned: number; pending: number; provisioned: number; failed: number }> {
    const k = this.keys;
    const [assignedBefore, assigned, pending, provisioned, failed] = (await this.redis
      .multi()
      .scard(k.appAssignedBefore(appId))
      .get(k.appAssignedCount(appId))
      .zcard(k.appState(appId, 'pending'))
      .zcard(k.appState(appId, 'provisioned'))
      .zcard(k.appState(appId, 'failed'))
      .exec()) as Array<[Error | null, number]>;
    return {
      assigned: Number(assignedBefore?.[1] ?? 0) + Number(assigned?.[1] ?? 0),
      pending: pending?.[1] ?? 0,
      provisioned: provisioned?.[1] ?? 0,
      failed: failed?.[1] ?? 0,
    };
  }

  async list(
    appId: string,
    page: { state?: AppUserState; limit: number; cursor?: string },
  ): Promise<{ items: AppUserRecord[]; nextCursor: string | null }> {
    const offset = cursorOffset(page.cursor);
    const ids = page.state
      ? await this.redis.zrange(this.keys.appState(appId, page.state), offset, offset + page.limit - 1)
      : await this.ids(appId).page(offset, page.limit, 'oldest first');
    const records = await this.findMany(appId, ids);
    const items = ids.map((id) => records.get(id)).filter((r): r is AppUserRecord => r !== undefined);
    return { items, nextCursor: nextCursor(offset, ids.length, page.limit) };
  }
}

export const isAppUserState = (value: string): value is AppUserState =>
  (APP_USER_STATES as readonly string[]).includes(value);
