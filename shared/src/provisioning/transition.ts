import { createHash } from 'node:crypto';
import type { ScimUser } from '../mapping/scim-user.ts';
import type { RedisClient } from '../redis/connection.ts';
import { LuaScript, type ScriptCall } from '../redis/lua-script.ts';
import { RECORD_FIELD, STORED_FORMS_LUA, storeResource } from '../store/app-user-form.ts';
import type { HeldLease, Intent } from '../store/app-users.store.ts';
import { userGuardField } from '../store/id-buckets.ts';
import type { StoreKeys } from '../store/keys.ts';
import type { NewLogEvent, ProvisioningLog } from '../store/provisioning-log/provisioning-log.ts';
import { encodeTask } from '../store/task-codec.ts';
import { FINAL_TASK_STATUSES } from '../store/tasks.store.ts';
import type { Task, TaskStatus } from '../types/task.schema.ts';

const COMMIT = new LuaScript(
  new URL('../store/provisioning-log/log-append.lua', import.meta.url),
  ...STORED_FORMS_LUA,
  new URL('./commit.lua', import.meta.url),
);

/** Field updates of an app user's record; JSON values are serialised here. */
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
  creating?: string | null;
}

const RESOURCES = new Set<keyof AppUserPatch>(['intentResource', 'pushedResource']);
const GROUPS = new Set<keyof AppUserPatch>(['intentGroups', 'pushedGroups']);

/** The fields and values of `userId`'s record as written (HSET's pairs), in its stored form (app-user-form.ts). */
export function toFields(patch: AppUserPatch, userId: string): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(patch) as [keyof AppUserPatch, unknown][]) {
    if (value === undefined) continue;
    const name = RECORD_FIELD[key];
    if (value === null) fields.push(name, '');
    else if (key === 'assigned') fields.push(name, value ? '1' : '0');
    else if (RESOURCES.has(key)) fields.push(name, storeResource(value as ScimUser, userId));
    else if (GROUPS.has(key))
      fields.push(name, (value as string[]).length === 0 ? '' : JSON.stringify(value));
    else fields.push(name, String(value));
  }
  if (patch.pushedResource !== undefined)
    fields.push(RECORD_FIELD.pushedActive, patch.pushedResource?.active === false ? '0' : '1');
  return fields;
}

const sha1 = (raw: string | null): string =>
  raw === null ? '' : createHash('sha1').update(raw).digest('hex');

type Guard =
  | { kind: 'task'; key: string; expected: string }
  | { kind: 'field'; key: string; field: string; expected: string }
  | { kind: 'value'; key: string; expected: string }
  | { kind: 'lease'; key: string; owner: string; until: string; expected: 'held' };

interface AppUserWrite {
  hash: string;
  queued: string;
  all: string;
  statePrefix: string;
  userId: string;
  fields: string[];
  queuedAdd: string[];
  queuedRemove: string[];
}

/** What a transition did: applied, or refused because a guard no longer held (nothing was written). */
export type CommitResult =
  | { ok: true; userWanted: boolean; outcomeWindow: string[] }
  | { ok: false; guard: number; found: string };

/**
 * One lifecycle transition of one app as it will be applied by commit.lua in one atomic step: the
 * guards it needs (what the caller read must still hold), then the writes of tasks, app users, sets,
 * the outcome window and the log events. Build it, then `commit` it; nothing is written before. Every
 * key it touches is the app's (one hash tag: one shard of a cluster).
 */
export class Transition {
  private readonly guards: Guard[] = [];
  private readonly tasks: unknown[] = [];
  private readonly appUsers = new Map<string, AppUserWrite>();
  private readonly setAdd: string[][] = [];
  private readonly setRemove: string[][] = [];
  private readonly countedAdd: string[][] = [];
  private readonly countedRemove: string[][] = [];
  private readonly strings: string[][] = [];
  private readonly deletes: string[] = [];
  private readonly publish: string[][] = [];
  private outcome: { key: string; value: string; window: number } | undefined;
  private readonly leases: { hash: string; owner: string }[] = [];
  readonly events: NewLogEvent[] = [];

  constructor(
    private readonly keys: StoreKeys,
    private readonly appId: string,
    readonly now: Date = new Date(),
  ) {}

  get nowIso(): string {
    return this.now.toISOString();
  }

  /** The task must still have this status ('' when it must not exist). */
  expectTaskStatus(appId: string, taskId: string, status: TaskStatus | ''): this {
    this.guards.push({ kind: 'task', key: this.keys.task(appId, taskId), expected: status });
    return this;
  }

  /** The app user must be at this revision (every write of it bumps `rev`; '' when it has no record yet). */
  expectRevision(appId: string, userId: string, rev: string): this {
    this.guards.push({ kind: 'field', key: this.keys.appUser(appId, userId), field: 'rev', expected: rev });
    return this;
  }

  /** The key must still hold exactly `raw` (null: must not exist). */
  expectValue(key: string, raw: string | null): this {
    this.guards.push({ kind: 'value', key, expected: sha1(raw) });
    return this;
  }

  /**
   * The push must still hold the lease it took (see AppUsersStore.loadForPush): its owner and end name
   * this push's hold, which its finish releases. A finish re-sent after its reply was lost (ioredis re-sends
   * a script whose reply a Redis crash lost) finds it released and is refused (`found: 'released'`), as is
   * one of a push that outlived its lease after another push took the user over.
   */
  expectLease(appId: string, userId: string, lease: HeldLease): this {
    this.guards.push({
      kind: 'lease',
      key: this.keys.appUser(appId, userId),
      owner: lease.owner,
      until: String(lease.until),
      expected: 'held',
    });
    return this;
  }

  /**
   * No directory or assignment write concerning the user may have been announced to the app since the
   * caller read `version` (see `Lifecycle.replanAfter`), which the caller read before the directory.
   */
  expectDirectoryVersion(userId: string, version: string): this {
    this.guards.push({
      kind: 'field',
      key: this.keys.appDirectoryVersions(this.appId, userId),
      field: userGuardField(userId),
      expected: version,
    });
    return this;
  }

  /** Writes the task, moving it between status indexes; `onlyFrom`: skip it unless it is in that status then. */
  saveTask(task: Task, options: { onlyFrom?: TaskStatus } = {}): this {
    this.tasks.push({
      key: this.keys.task(task.appId, task.id),
      json: encodeTask(task),
      all: this.keys.appTaskIds(task.appId),
      statusPrefix: this.keys.appTaskStatus(task.appId, ''),
      finalList: FINAL_TASK_STATUSES.has(task.status)
        ? this.keys.appTaskIdsWithStatus(task.appId, task.status)
        : '',
      id: task.id,
      score: String(Date.parse(task.createdAt)),
      status: task.status,
      onlyFrom: options.onlyFrom ?? '',
    });
    return this;
  }

  /** Writes fields of the app user (creating its record) and its queued-task set; its state is derived after. */
  writeAppUser(
    appId: string,
    userId: string,
    patch: AppUserPatch,
    queued: { add?: string[]; remove?: string[] } = {},
  ): this {
    const key = this.keys.appUser(appId, userId);
    let write = this.appUsers.get(key);
    if (!write) {
      write = {
        hash: key,
        queued: this.keys.appUserQueued(appId, userId),
        all: this.keys.appUserIds(appId),
        statePrefix: this.keys.appState(appId, ''),
        userId,
        fields: [],
        queuedAdd: [],
        queuedRemove: [],
      };
      this.appUsers.set(key, write);
    }
    write.fields.push(...toFields(patch, userId));
    write.queuedAdd.push(...(queued.add ?? []));
    write.queuedRemove.push(...(queued.remove ?? []));
    return this;
  }

  addToSet(key: string, ...members: string[]): this {
    if (members.length > 0) this.setAdd.push([key, ...members]);
    return this;
  }

  removeFromSet(key: string, ...members: string[]): this {
    if (members.length > 0) this.setRemove.push([key, ...members]);
    return this;
  }

  /**
   * Counts the user among the app's assigned users, or no longer: its bucket and the count (see
   * keys.appAssigned), and out of the set stores written before kept, so it is counted once.
   */
  setAssigned(appId: string, userId: string, assigned: boolean): this {
    const member = [this.keys.appAssigned(appId, userId), userId, this.keys.appAssignedCount(appId)];
    (assigned ? this.countedAdd : this.countedRemove).push(member);
    return this.removeFromSet(this.keys.appAssignedBefore(appId), userId);
  }

  setString(key: string, value: string): this {
    this.strings.push([key, value]);
    return this;
  }

  deleteKey(key: string): this {
    this.deletes.push(key);
    return this;
  }

  publishOn(channel: string, message: string): this {
    this.publish.push([channel, message]);
    return this;
  }

  /** Marks the users' pushes as owed: a worker's outbox flush enqueues them should the caller die first. */
  owePush(appId: string, ...userIds: string[]): this {
    return this.addToSet(this.keys.appOutbox(appId), ...new Set(userIds));
  }

  /** Ends the push's lease on the user (see AppUsersStore.loadForPush), if `owner` still holds it. */
  releaseLease(appId: string, userId: string, owner: string): this {
    this.leases.push({ hash: this.keys.appUser(appId, userId), owner });
    return this;
  }

  /** Records a push's final outcome in the app's window; a failure's commit answers the window. */
  recordOutcome(appId: string, succeeded: boolean, window: number): this {
    this.outcome = { key: this.keys.appOutcomes(appId), value: succeeded ? '1' : '0', window };
    return this;
  }

  log(...events: NewLogEvent[]): this {
    this.events.push(...events);
    return this;
  }

  /** What commit.lua applies (see there). */
  body(): object {
    return {
      nowMs: String(this.now.getTime()),
      guards: this.guards,
      tasks: this.tasks,
      appUsers: [...this.appUsers.values()],
      setAdd: this.setAdd,
      setRemove: this.setRemove,
      ...(this.countedAdd.length > 0 ? { countedAdd: this.countedAdd } : {}),
      ...(this.countedRemove.length > 0 ? { countedRemove: this.countedRemove } : {}),
      strings: this.strings,
      deletes: this.deletes,
      publish: this.publish,
      ...(this.outcome ? { outcome: this.outcome } : {}),
      ...(this.leases.length > 0 ? { leases: this.leases } : {}),
    };
  }

  /** The app's record: the first key of the script call, which routes it to the app's shard. */
  get routingKey(): string {
    return this.keys.app(this.appId);
  }
}

const resultOf = (reply: string[]): CommitResult =>
  reply[0] === 'ok'
    ? { ok: true, userWanted: reply[1] === '1', outcomeWindow: reply.slice(2) }
    : { ok: false, guard: Number(reply[1]), found: reply[2] ?? '' };

/** Transitions sent in one script call: a bulk approval's chunk of 1,000 goes as 20 calls, each short. */
const PER_CALL = 50;

/** Applies transitions, each atomically (re-sent after NOSCRIPT); errors are thrown, never swallowed. */
export class Committer {
  constructor(
    private readonly redis: RedisClient,
    private readonly log: ProvisioningLog,
  ) {}

  async commit(transition: Transition): Promise<CommitResult> {
    return (await this.commitMany([transition]))[0] as CommitResult;
  }

  /**
   * Many independent transitions of one app, each atomic and guarded on its own, in one round trip:
   * up to PER_CALL of them per script call, whose log events of the transitions applied go in one append.
   */
  async commitMany(transitions: Transition[]): Promise<CommitResult[]> {
    const first = transitions[0];
    if (!first) return [];
    if (transitions.some((t) => t.routingKey !== first.routingKey))
      throw new Error('lifecycle: transitions committed together must be of one app');
    const calls: ScriptCall[] = [];
    for (let i = 0; i < transitions.length; i += PER_CALL) {
      const group = transitions.slice(i, i + PER_CALL);
      const encoded = this.log.encodeForScript(group.map((t) => t.events));
      const body = JSON.stringify({
        transitions: group.map((t) => t.body()),
        // After the log's channel, each transition's log arguments: how many is the log's encoding's business.
        logArgs: encoded.stepArgs,
      });
      calls.push({ keys: [first.routingKey, ...encoded.keys], args: [body, ...encoded.args] });
    }
    const replies = await COMMIT.runMany<string[][]>(this.redis, calls);
    return replies.flat().map(resultOf);
  }
}
