import { setTimeout as sleep } from 'node:timers/promises';
import { conflict } from '../errors/app-error.ts';
import type { Logger } from '../logger/logger.ts';
import { type Command, type RedisClient, sendTogether } from '../redis/connection.ts';
import { RECORD_FIELD } from '../store/app-user-form.ts';
import type { AppUserRecord, HeldLease, PushLease, PushLoad, PushStart } from '../store/app-users.store.ts';
import { byUserIndexBucket, userGuardField } from '../store/id-buckets.ts';
import { newId } from '../store/ids.ts';
import type { StoreKeys } from '../store/keys.ts';
import type { NewLogEvent } from '../store/provisioning-log/provisioning-log.ts';
import { OUTCOME_WINDOW } from '../store/push-outcomes.ts';
import type { PushQueues } from '../store/push-queues.ts';
import type { Stores } from '../store/stores.ts';
import type { TaskRead } from '../store/tasks.store.ts';
import type { AppRecord } from '../types/app.schema.ts';
import type { User } from '../types/directory.schema.ts';
import type { Task } from '../types/task.schema.ts';
import { ApprovalBatches } from './approval-batches.ts';
import { queuedPatch, StagedApprover } from './approve-staged.ts';
import {
  type DeletionWindow,
  exceeds,
  heldByDeletionSafety,
  heldMessage,
  isDeprovision,
  noteDeprovision,
  readDeletionWindow,
} from './deletion-window.ts';
import { GroupCall } from './group-call.ts';
import { baselineOf, type Plan, planDeprovision, planPresence, requestOf } from './plan.ts';
import { approvalEvents, describeTask as describe, taskEvent } from './task-events.ts';
import { type AppUserPatch, type CommitResult, Committer, Transition } from './transition.ts';

export type { AppUserPatch } from './transition.ts';

export interface ReconcileResult {
  queued: number;
  pending: number;
  unchanged: number;
}

const CHUNK = 1000;
const ADMIN = 'admin';
/** A transition whose guard failed is re-read and re-decided; past this many tries the caller gets a 409. */
const MAX_TRIES = 50;
/** Between a user id and the token of the call that marked it, in the app's re-plan marks. */
const MARK_SEPARATOR = '|';

/** What the app holds of one user; a transition built from it guards the record's revision. */
interface AppSnapshot {
  userId: string;
  record: AppUserRecord | undefined;
  pending: Task | undefined;
  queued: Task[];
}

/** A user's record revision and queued tasks. */
interface QueuedSnapshot {
  rev: string;
  queued: Task[];
}

/** Everything one (app, user) plan reads; its guards check the same things still hold at commit. */
interface Snapshot extends AppSnapshot {
  /** The app's directory version of the user, read before the directory (see `replanAfter`). */
  directoryVersion: string;
  userRaw: string | null;
  member: boolean;
}

const isOpen = (task: Task | undefined, status: Task['status']): task is Task => task?.status === status;

/**
 * How long a push's finish, or a start a batch job takes ahead, may wait for those of the app's other
 * pushes under way in this process, to go in one call with them (one script call; for finishes one log
 * append and index entry per index for all). With 16 pushes under way, a 5 ms hold of finishes cut the
 * worker's CPU per push by about a sixth and its Redis's by a fifth (docs/performance-history.md); a
 * push alone never waits. A batch job goes on while its finish and its next start wait, and its next
 * item sends the call (see GroupHold): the hold spans one round of the app's pushes without holding up
 * the target, and this bound matters only at a batch's end and for single pushes.
 */
const PUSH_CALL_HOLD_MS = 20;

export interface LifecycleOptions {
  /** The app's pushes this process is running (a worker's); without it no push call is held. */
  pushesUnderWay?: (appId: string) => number;
}

/**
 * The provisioning lifecycle's one owner. Every transition — plan and supersede (assign, unassign,
 * directory changes, reapply), approve, deny, approve-all, retry, push start/step/finish, superseded at
 * push time, repair — reads what it decides from, then applies its writes (task, app user and its
 * state indexes, counts, outbox, log event) in one guarded script call (commit.lua). A guard that no
 * longer holds means another transition got there first: the decision is made again from fresh state.
 */
export class Lifecycle {
  readonly approvals: ApprovalBatches;
  private readonly committer: Committer;
  /** Push starts: those of an app that start together go in one call. */
  private readonly starts: GroupCall<PushStart, PushLoad>;
  /** Push finishes: those of an app that end together go in one call (see PUSH_CALL_HOLD_MS). */
  private readonly finishes: GroupCall<Transition, CommitResult>;
  private readonly stagedApprover: StagedApprover;
  private readonly redis: RedisClient;
  private readonly keys: StoreKeys;

  constructor(
    private readonly stores: Stores,
    private readonly queues: PushQueues,
    private readonly logger: Logger,
    options: LifecycleOptions = {},
  ) {
    this.redis = stores.redis;
    this.keys = stores.keys;
    this.committer = new Committer(stores.redis, stores.log);
    const { pushesUnderWay } = options;
    const hold = pushesUnderWay && { ms: PUSH_CALL_HOLD_MS, expected: pushesUnderWay };
    this.starts = new GroupCall((appId, starts) => stores.appUsers.loadForPushMany(appId, starts), hold);
    this.finishes = new GroupCall((_, transitions) => this.committer.commitMany(transitions), hold);
    this.stagedApprover = new StagedApprover(stores.redis, stores.keys, stores.log);
    this.approvals = new ApprovalBatches(stores.redis, stores.keys, {
      readPending: (appId, ids) => this.pendingTasks(appId, ids),
      approve: (appId, tasks, by, at) => this.approveRead(appId, tasks, by, at),
    });
  }

  // ---- plan and supersede -------------------------------------------------------------------------

  /**
   * Brings the recorded assignment and the open task of each user in line with the intent now (the
   * directory and the app's assignments): plans a create, update, suspend, reactivate or deprovision,
   * superseding the open pending task in the same step. Assign, unassign, role changes, directory
   * edits, suspend, reactivate, delete and reapply all come here.
   */
  async reconcile(appId: string, userIds: string[]): Promise<ReconcileResult> {
    const result: ReconcileResult = { queued: 0, pending: 0, unchanged: 0 };
    await this.untilCommitted(appId, userIds, (ids) => this.reconcileOnce(appId, ids, result));
    return result;
  }

  /**
   * Runs `attempt` over `ids`, a chunk at a time, and again over the ids it answers (their guards failed:
   * another transition got there first), after a short random wait, until none are left; past
   * MAX_TRIES the caller gets a 409.
   */
  private async untilCommitted(
    appId: string,
    ids: string[],
    attempt: (ids: string[]) => Promise<string[]>,
  ): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      let remaining = [...new Set(ids.slice(i, i + CHUNK))];
      for (let tries = 0; remaining.length > 0; tries++) {
        if (tries >= MAX_TRIES) throw this.contended(appId, remaining);
        if (tries > 0) await sleep(Math.random() * 5 * tries);
        remaining = await attempt(remaining);
      }
    }
  }

  /**
   * Runs a directory or assignment write whose effect the apps must plan, then plans it. The users are
   * marked as owed a re-plan before the write (write-ahead) and unmarked once planned, so a crash in
   * between leaves the marks for `repair`; planning twice is harmless.
   *
   * The directory is not on the apps' shards, so no transition can guard what it read of it. Instead,
   * once written, the write is announced to each app (`announce`); a transition guards the version it
   * read before reading the directory. One that read the directory before this write then fails its
   * guard, and the plan after the announcement sees the write.
   */
  async replanAfter<T>(appIds: Iterable<string>, userIds: string[], write: () => Promise<T>): Promise<T> {
    const apps = [...new Set(appIds)];
    const users = [...new Set(userIds)];
    const token = newId();
    const members = users.map((userId) => `${userId}${MARK_SEPARATOR}${token}`);
    if (members.length > 0)
      await Promise.all(
        apps.map((appId) =>
          this.redis.zadd(this.keys.appReplan(appId), ...members.flatMap((m) => [Date.now(), m])),
        ),
      );
    let written: T;
    try {
      written = await write();
    } catch (err) {
      await this.unmark(apps, members);
      throw err;
    }
    for (const appId of apps) {
      await this.announce(appId, users);
      await this.reconcile(appId, users);
    }
    await this.unmark(apps, members);
    return written;
  }

  /** Tells the app the directory changed for these users: a plan read from before fails its guard. */
  private async announce(appId: string, userIds: string[]): Promise<void> {
    await sendTogether(
      this.redis,
      userIds.map(
        (userId): Command => [
          'hincrby',
          this.keys.appDirectoryVersions(appId, userId),
          userGuardField(userId),
          1,
        ],
      ),
    );
  }

  private async unmark(appIds: string[], members: string[]): Promise<void> {
    if (members.length === 0) return;
    await Promise.all(appIds.map((appId) => this.redis.zrem(this.keys.appReplan(appId), ...members)));
  }

  /** Every user the app knows or has assigned, against the current mappings. */
  async reapply(app: AppRecord): Promise<ReconcileResult> {
    if (!app.provisioning.enabled)
      throw conflict('provisioning_disabled', 'Enable provisioning before reapplying mappings.');
    const [known, assigned] = await Promise.all([
      this.stores.appUsers.allIds(app.id),
      this.stores.appUsers.assignedIds(app.id),
    ]);
    const direct = await this.redis.smembers(this.keys.appDirect(app.id));
    const result = await this.reconcile(app.id, [...new Set([...known, ...assigned, ...direct])]);
    this.logger.info({ appId: app.id, ...result }, 'mappings reapplied');
    return result;
  }

  /** Decides and commits once; answers the users whose guards failed (to decide again). */
  private async reconcileOnce(appId: string, userIds: string[], result: ReconcileResult): Promise<string[]> {
    const appRaw = await this.redis.get(this.keys.app(appId));
    if (appRaw === null) return [];
    const app = JSON.parse(appRaw) as AppRecord;
    let snapshots = await this.snapshots(appId, userIds);
    const staged = snapshots.flatMap((s) => (s.pending ? [s.pending.id] : []));
    if (await this.approvals.settleTasks(appId, staged)) snapshots = await this.snapshots(appId, userIds);
    const window = await readDeletionWindow(this.redis, this.keys, app, Date.now());
    const decided = snapshots.map((s) => ({ s, d: this.decide(app, appRaw, s, window) }));
    const deprovisions = decided.filter((x) => x.d?.deprovision).length;
    if (window && exceeds(window, deprovisions)) {
      // Nothing of this decision is committed: the hold is set, and every user is decided again under it.
      await this.holdDeletions(app, appRaw, window.recent + deprovisions);
      return userIds;
    }
    const toCommit = decided.filter((x) => x.d !== null);
    const replies = await this.committer.commitMany(toCommit.map((x) => (x.d as Decision).transition));
    const retry: string[] = [];
    const pushes: string[] = [];
    toCommit.forEach(({ s, d }, i) => {
      if (!replies[i]?.ok) {
        retry.push(s.userId);
        return;
      }
      const decision = d as Decision;
      result[decision.counted] += 1;
      if (decision.counted === 'queued') pushes.push(s.userId);
    });
    result.unchanged += decided.length - toCommit.length;
    await this.queues.enqueue(appId, pushes);
    return retry;
  }

  /** What the app holds of each user: its record and its open pending and queued tasks. */
  private async appSnapshots(appId: string, userIds: string[]): Promise<AppSnapshot[]> {
    const k = this.keys;
    const replies = await sendTogether(
      this.redis,
      userIds.flatMap((userId): Command[] => [
        ['hgetall', k.appUser(appId, userId)],
        ['smembers', k.appUserQueued(appId, userId)],
      ]),
    );
    const rows = userIds.map((userId, i) => {
      const hash = replies[i * 2] as Record<string, string>;
      const record = this.stores.appUsers.fromHash(hash, userId) ?? undefined;
      return { userId, record, queuedIds: replies[i * 2 + 1] as string[] };
    });
    const taskIds = rows.flatMap((r) => [
      ...(r.record?.pendingTaskId ? [r.record.pendingTaskId] : []),
      ...r.queuedIds,
    ]);
    const tasks = new Map((await this.stores.tasks.getMany(appId, taskIds)).map((t) => [t.id, t]));
    return rows.map((r) => ({
      userId: r.userId,
      record: r.record,
      pending: r.record?.pendingTaskId ? tasks.get(r.record.pendingTaskId) : undefined,
      queued: r.queuedIds.map((id) => tasks.get(id)).filter((t): t is Task => isOpen(t, 'queued')),
    }));
  }

  /** What approving a user's task needs of it: its record's revision and its queued tasks (a bulk approval reads only these). */
  private async queuedSnapshots(appId: string, userIds: string[]): Promise<Map<string, QueuedSnapshot>> {
    const k = this.keys;
    const replies = await sendTogether(
      this.redis,
      userIds.flatMap((userId): Command[] => [
        // A record stored in the form of before holds it as `rev` (see app-user-form.ts).
        ['hmget', k.appUser(appId, userId), RECORD_FIELD.rev, 'rev'],
        ['smembers', k.appUserQueued(appId, userId)],
      ]),
    );
    const queuedIds = userIds.map((_, i) => replies[i * 2 + 1] as string[]);
    const tasks = new Map((await this.stores.tasks.getMany(appId, queuedIds.flat())).map((t) => [t.id, t]));
    return new Map(
      userIds.map((userId, i) => [
        userId,
        {
          rev: (replies[i * 2] as (string | null)[]).find((rev) => rev !== null) ?? '',
          queued: (queuedIds[i] ?? [])
            .map((id) => tasks.get(id))
            .filter((t): t is Task => isOpen(t, 'queued')),
        },
      ]),
    );
  }

  /**
   * What a plan decides from: the app's side and the directory's (the user, its assignment). The
   * versions are read first (see `replanAfter`).
   */
  private async snapshots(appId: string, userIds: string[]): Promise<Snapshot[]> {
    if (userIds.length === 0) return [];
    const k = this.keys;
    const versions = await this.directoryVersions(appId, userIds);
    const [app, users, sources] = await Promise.all([
      this.appSnapshots(appId, userIds),
      sendTogether(
        this.redis,
        userIds.map((userId): Command => ['get', k.user(userId)]),
      ),
      this.stores.assignments.sourcesOf(appId, userIds),
    ]);
    return app.map((s, i) => ({
      ...s,
      directoryVersion: versions[i] ?? '',
      userRaw: users[i] as string | null,
      member: sources[i]?.direct === true || (sources[i]?.roleIds.length ?? 0) > 0,
    }));
  }

  /** The app's directory version of each user (null for none), in the order of `userIds`: one HMGET per bucket. */
  private async directoryVersions(appId: string, userIds: string[]): Promise<(string | null)[]> {
    const groups = [...byUserIndexBucket(userIds).values()];
    const replies = await sendTogether(
      this.redis,
      groups.map(
        (group): Command => [
          'hmget',
          this.keys.appDirectoryVersions(appId, group[0] as string),
          ...group.map(userGuardField),
        ],
      ),
    );
    const version = new Map<string, string | null>();
    groups.forEach((group, i) => {
      const read = replies[i] as (string | null)[];
      for (const [j, userId] of group.entries()) version.set(userId, read[j] ?? null);
    });
    return userIds.map((userId) => version.get(userId) ?? null);
  }

  /** The transition one user needs now, or null when nothing changes. */
  private decide(
    app: AppRecord,
    appRaw: string,
    s: Snapshot,
    window: DeletionWindow | null = null,
  ): Decision | null {
    const { record } = s;
    const user = s.userRaw ? (JSON.parse(s.userRaw) as User) : null;
    const assigned = s.member && user !== null;
    const wasAssigned = record?.assigned ?? false;
    if (!record && !assigned) return null;
    const pending = isOpen(s.pending, 'pending') ? s.pending : undefined;
    const t = new Transition(this.keys, app.id)
      .expectValue(this.keys.app(app.id), appRaw)
      .expectDirectoryVersion(s.userId, s.directoryVersion)
      .expectRevision(app.id, s.userId, record?.rev ?? '');
    const base: AppUserPatch = { email: user?.email ?? record?.email ?? '', assigned };
    if (assigned !== wasAssigned) t.setAssigned(app.id, s.userId, assigned);

    let plan: Plan;
    if (!app.provisioning.enabled) plan = { kind: 'none' };
    else if (assigned) plan = planPresence(app, user as User, baselineOf(record, pending));
    else if (wasAssigned && record && record.externalId === null && !record.creating && s.queued.length > 0)
      return this.cancelUnpushed(t, app.id, s, base, pending);
    else if (wasAssigned) plan = planDeprovision(app, record);
    else {
      // Not assigned before either: only an account a raced push left behind needs deprovisioning.
      const leftover = planDeprovision(app, record);
      const alreadyAsked = pending?.action === 'suspend' || pending?.action === 'delete';
      plan = leftover.kind === 'task' && !alreadyAsked ? leftover : { kind: 'none' };
    }

    if (plan.kind === 'none') {
      // Unassigned while the target already holds what it should (say, suspended): a change towards
      // presence still awaiting approval (a create, reactivate, update) is no longer wanted, and approving
      // it must not push it. A pending suspend or delete is the deprovisioning itself: it stays.
      const deprovisioning = pending?.action === 'suspend' || pending?.action === 'delete';
      const stale = assigned || deprovisioning ? undefined : pending;
      const changed =
        !record || record.assigned !== assigned || record.email !== base.email || stale !== undefined;
      if (!changed) return null;
      if (stale) this.supersede(t, stale, `Superseded: the user was unassigned (${describe(stale)}).`);
      t.writeAppUser(app.id, s.userId, stale ? { ...base, pendingTaskId: null } : base);
      return { transition: t, counted: 'unchanged' };
    }
    if (pending)
      this.supersede(t, pending, `Superseded by a newer change before approval (${describe(pending)}).`);
    if (plan.kind === 'skip') {
      t.writeAppUser(app.id, s.userId, { ...base, pendingTaskId: null });
      t.log({
        appId: app.id,
        userId: s.userId,
        taskId: pending?.id ?? newId(),
        action: app.provisioning.onDelete === 'delete' ? 'delete' : 'suspend',
        status: 'skipped',
        message: plan.message,
      });
      return { transition: t, counted: 'unchanged' };
    }
    const request = requestOf(app, record, plan);
    const task: Task = {
      // Its id tells when it was created: a done task's stored form leaves createdAt out (task-codec.ts).
      id: newId(t.now.getTime()),
      appId: app.id,
      userId: s.userId,
      action: plan.action,
      status: 'pending',
      approvalKind: plan.approvalKind,
      createdAt: t.nowIso,
      method: request.method,
      preview: request.body,
      resource: plan.resource,
      groups: plan.groups,
    };
    if (app.provisioning.requireApproval[plan.approvalKind]) {
      t.saveTask(task).writeAppUser(app.id, s.userId, { ...base, pendingTaskId: task.id });
      t.log(taskEvent(task, 'pending_approval', `Awaiting admin approval: ${describe(task)}.`));
      return { transition: t, counted: 'pending' };
    }
    if (heldByDeletionSafety(app, task.action)) {
      const held: Task = { ...task, held: true };
      t.saveTask(held).writeAppUser(app.id, s.userId, { ...base, pendingTaskId: task.id });
      t.log(taskEvent(held, 'pending_approval', heldMessage(app, describe(task))));
      return { transition: t, counted: 'pending' };
    }
    const queued: Task = { ...task, status: 'queued', decidedAt: t.nowIso, decidedBy: 'auto' };
    this.queue(t, queued, s.queued, base);
    t.log(taskEvent(queued, 'queued', `Queued without approval: ${describe(task)}.`));
    const deprovision = window !== null && isDeprovision(task.action);
    if (deprovision) noteDeprovision(t, window, task.id);
    return { transition: t, counted: 'queued', deprovision };
  }

  /** Unassigned before anything reached the target: the queued push is called off, no deprovision needed. */
  private cancelUnpushed(
    t: Transition,
    appId: string,
    s: Snapshot,
    base: AppUserPatch,
    pending: Task | undefined,
  ): Decision {
    if (pending) this.supersede(t, pending, `Superseded: the user was unassigned (${describe(pending)}).`);
    for (const task of s.queued)
      this.supersede(t, task, `Superseded: the user was unassigned before the push (${describe(task)}).`);
    t.writeAppUser(
      appId,
      s.userId,
      { ...base, pendingTaskId: null, intent: null, intentResource: null, intentGroups: [], outcome: '' },
      { remove: s.queued.map((task) => task.id) },
    );
    return { transition: t, counted: 'unchanged' };
  }

  private supersede(t: Transition, task: Task, message: string): void {
    t.saveTask({ ...task, status: 'superseded', decidedAt: t.nowIso }, { onlyFrom: task.status });
    t.log(taskEvent(task, 'skipped', message));
  }

  /**
   * Records `task` as queued: its intent becomes what the next push reconciles towards, an older queued
   * task of the user is superseded by it (one queued task at a time), and the push is owed (outbox).
   */
  private queue(t: Transition, task: Task, alreadyQueued: Task[], extra: AppUserPatch = {}): void {
    const older = alreadyQueued.filter((q) => q.id !== task.id);
    for (const q of older)
      this.supersede(
        t,
        q,
        `Superseded by a newer approved change (${describe(task)}); the push brings the latest.`,
      );
    t.saveTask(task).writeAppUser(
      task.appId,
      task.userId,
      { ...extra, ...queuedPatch(task) },
      { add: [task.id], remove: older.map((q) => q.id) },
    );
    t.owePush(task.appId, task.userId);
  }

  // ---- decisions ----------------------------------------------------------------------------------

  /** Approves a task the admin saw pending; 409 when it no longer is. */
  async approve(appId: string, taskId: string, by = ADMIN): Promise<Task> {
    await this.approvals.settleTasks(appId, [taskId]);
    const task = await this.decideTask(appId, taskId, 'pending', (t, current, s) => {
      const queued: Task = { ...current, status: 'queued', decidedAt: t.nowIso, decidedBy: by };
      this.queue(t, queued, s.queued);
      t.log(...approvalEvents(queued, by));
      return queued;
    });
    await this.queues.enqueue(appId, [task.userId]);
    return task;
  }

  async deny(appId: string, taskId: string, reason: string | undefined, by = ADMIN): Promise<Task> {
    await this.approvals.settleTasks(appId, [taskId]);
    return this.decideTask(appId, taskId, 'pending', (t, current, s) => {
      const denied: Task = {
        ...current,
        status: 'denied',
        decidedAt: t.nowIso,
        decidedBy: by,
        ...(reason ? { reason } : {}),
      };
      const neverProvisioned =
        (!s.record?.intent || s.record.intent === 'absent') && !s.record?.externalId && !s.record?.creating;
      t.saveTask(denied).writeAppUser(appId, current.userId, {
        pendingTaskId: null,
        ...(neverProvisioned ? { outcome: 'denied' } : {}),
      });
      t.log(taskEvent(denied, 'denied', `Denied by ${by}${reason ? `: ${reason}` : ''}.`, by));
      return denied;
    });
  }

  /** Queues a failed task again; the push reconciles towards the user's current intent. */
  async retry(appId: string, taskId: string, by = ADMIN): Promise<Task> {
    const task = await this.decideTask(appId, taskId, 'failed', (t, current, s) => {
      const { error: _previousError, ...rest } = current;
      const queued: Task = { ...rest, status: 'queued' };
      const older = s.queued.filter((q) => q.id !== queued.id);
      for (const q of older) this.supersede(t, q, `Superseded by a retry of ${describe(queued)}.`);
      t.saveTask(queued).writeAppUser(
        appId,
        current.userId,
        { outcome: '', lastError: null },
        { add: [queued.id], remove: older.map((q) => q.id) },
      );
      t.owePush(appId, current.userId);
      t.log(taskEvent(queued, 'queued', `Retry requested by ${by}: ${describe(current)}.`, by));
      return queued;
    });
    await this.queues.enqueue(appId, [task.userId]);
    return task;
  }

  /** Stages every pending task as one batch (O(1)) and answers how many; they are approved right after. */
  async approveAll(appId: string, by = ADMIN): Promise<number> {
    await this.refuseWhileDeletionsHeld(appId);
    return this.materializeAfter(appId, await this.approvals.stage(appId, by));
  }

  /**
   * Stages these tasks (a plan's), those still pending, as one batch and answers how many; they are
   * approved right after, chunk by chunk, as approveAll's are. Tasks not listed stay pending.
   */
  async approveTasks(appId: string, taskIds: readonly string[], by = ADMIN): Promise<number> {
    await this.refuseWhileDeletionsHeld(appId);
    return this.materializeAfter(appId, await this.approvals.stageTasks(appId, taskIds, by));
  }

  private async refuseWhileDeletionsHeld(appId: string): Promise<void> {
    if ((await this.stores.apps.find(appId))?.deletionHold)
      throw conflict(
        'deletion_hold_active',
        'Deprovisions are held by deletion safety: Allow or Reject them before bulk approving.',
      );
  }

  private materializeAfter(appId: string, staged: number): number {
    if (staged > 0)
      this.approvals
        .step(appId)
        .catch((err) =>
          this.logger.warn({ appId, err: (err as Error).message }, 'bulk approval materialisation failed'),
        );
    return staged;
  }

  /** A guarded decision on one task: it must still be in `expected`, and its user's record unchanged. */
  private async decideTask(
    appId: string,
    taskId: string,
    expected: Task['status'],
    build: (t: Transition, task: Task, s: AppSnapshot) => Task,
  ): Promise<Task> {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const task = await this.stores.tasks.get(appId, taskId);
      if (task.status !== expected)
        throw conflict(`task_not_${expected}`, `Task ${taskId} is ${task.status}, not ${expected}.`, {
          status: task.status,
        });
      const [s] = await this.appSnapshots(appId, [task.userId]);
      const t = new Transition(this.keys, appId)
        .expectTaskStatus(appId, taskId, expected)
        .expectRevision(appId, task.userId, s?.record?.rev ?? '');
      const next = build(t, task, s as AppSnapshot);
      if ((await this.committer.commit(t)).ok) return next;
    }
    throw this.contended(appId, [taskId]);
  }

  /** The tasks among these still pending. */
  private async pendingTasks(appId: string, taskIds: string[]): Promise<TaskRead[]> {
    return (await this.stores.tasks.getManyStored(appId, taskIds)).filter(
      (read) => read.task.status === 'pending',
    );
  }

  /**
   * Approves staged tasks still pending (a bulk approval's chunk), each atomically on its own: in bulk
   * (StagedApprover), and those whose user has a queued task by the guarded transition.
   */
  private async approveStaged(
    appId: string,
    taskIds: string[],
    by: string,
    decidedAt: string,
  ): Promise<void> {
    await this.untilCommitted(appId, taskIds, async (ids) =>
      this.approveOnce(appId, await this.pendingTasks(appId, ids), by, decidedAt),
    );
  }

  /** As approveStaged, for tasks read pending before (each re-checked); those whose guard failed are read again. */
  private async approveRead(appId: string, tasks: TaskRead[], by: string, decidedAt: string): Promise<void> {
    const retry = await this.approveOnce(appId, tasks, by, decidedAt);
    if (retry.length > 0) await this.approveStaged(appId, retry, by, decidedAt);
  }

  /** One attempt at approving these tasks read pending; answers the ids whose guard failed. */
  private async approveOnce(
    appId: string,
    tasks: TaskRead[],
    by: string,
    decidedAt: string,
  ): Promise<string[]> {
    const replies = await this.stagedApprover.approve(appId, tasks, by, decidedAt);
    const approved = tasks.filter((_, i) => replies[i] === 'ok').map((read) => read.task.userId);
    const guarded = await this.approveGuarded(
      appId,
      tasks.filter((_, i) => replies[i] === 'busy').map((read) => read.task),
      by,
      decidedAt,
    );
    await this.queues.enqueue(appId, [...approved, ...guarded.approved]);
    return guarded.retry;
  }

  /** Approves these pending tasks, each by a transition guarded on its user's queued tasks as read. */
  private async approveGuarded(
    appId: string,
    tasks: Task[],
    by: string,
    decidedAt: string,
  ): Promise<{ approved: string[]; retry: string[] }> {
    const snapshots = await this.queuedSnapshots(appId, [...new Set(tasks.map((task) => task.userId))]);
    const transitions = tasks.map((task) => {
      const s = snapshots.get(task.userId) as QueuedSnapshot;
      const t = new Transition(this.keys, appId)
        .expectTaskStatus(appId, task.id, 'pending')
        .expectRevision(appId, task.userId, s.rev);
      const queued: Task = { ...task, status: 'queued', decidedAt, decidedBy: by };
      this.queue(t, queued, s.queued);
      t.log(...approvalEvents(queued, by));
      return t;
    });
    const replies = await this.committer.commitMany(transitions);
    return {
      approved: tasks.filter((_, i) => replies[i]?.ok).map((task) => task.userId),
      retry: tasks.filter((_, i) => !replies[i]?.ok).map((task) => task.id),
    };
  }

  private contended(appId: string, ids: string[]) {
    return conflict('transition_contended', 'Too many concurrent changes to the same users; try again.', {
      appId,
      ids: ids.slice(0, 20),
    });
  }

  // ---- group rename -------------------------------------------------------------------------------

  /**
   * A group renamed on the target: every app user's recorded groups (pushed and intended) follow, with
   * a log event each, so no push moves a member out of the old name and into the new. Answers how many.
   */
  async renameGroup(appId: string, from: string, to: string, message: string): Promise<number> {
    const swap = (groups: string[]) => groups.map((group) => (group === from ? to : group));
    const renameId = newId();
    const ids = await this.stores.appUsers.allIds(appId);
    let renamed = 0;
    await this.untilCommitted(appId, ids, async (chunk) => {
      const holding = (await this.appSnapshots(appId, chunk)).filter(
        (s) => s.record?.pushedGroups.includes(from) || s.record?.intentGroups.includes(from),
      );
      const transitions = holding.map((s) => {
        const record = s.record as AppUserRecord;
        return new Transition(this.keys, appId)
          .expectRevision(appId, s.userId, record.rev)
          .writeAppUser(appId, s.userId, {
            pushedGroups: swap(record.pushedGroups),
            intentGroups: swap(record.intentGroups),
          })
          .log({
            appId,
            userId: s.userId,
            taskId: renameId,
            action: 'update',
            status: 'succeeded',
            message,
          });
      });
      const replies = await this.committer.commitMany(transitions);
      renamed += replies.filter((reply) => reply.ok).length;
      return holding.filter((_, k) => !replies[k]?.ok).map((s) => s.userId);
    });
    return renamed;
  }

  // ---- import ---------------------------------------------------------------------------------------

  /**
   * What an import found on the target becomes the app user's pushed state (link), or also the
   * baseline planning compares against (reconcile), so the next plan undoes the drift.
   */
  async adoptTargetState(appId: string, userId: string, patch: AppUserPatch): Promise<void> {
    await this.committer.commit(new Transition(this.keys, appId).writeAppUser(appId, userId, patch));
  }

  // ---- push ---------------------------------------------------------------------------------------

  /**
   * What a push reconciles from, read atomically (the record, intent now, and its queued tasks), with
   * the push's lease on the user; or when the other push of the user holding the lease ends. Pushes of
   * the app that start together are read in one call. `ahead`: a batch job takes the start before the
   * user's turn and comes round before it needs it, so it may wait for the other jobs' starts (see
   * GroupHold); otherwise the start is sent at once.
   */
  startPush(appId: string, userId: string, lease: PushLease, ahead = false): Promise<PushLoad> {
    return this.starts.call(appId, { userId, lease }, ahead ? lease.owner : undefined);
  }

  /** A push that found nothing to do ends its lease. */
  async endPush(appId: string, userId: string, owner: string): Promise<void> {
    await this.committer.commit(new Transition(this.keys, appId).releaseLease(appId, userId, owner));
  }

  /**
   * A step of a push that must be recorded before the next call to the target (the account's id, a
   * create about to be sent). Answers whether the user is still meant to be on the target (assigned, an
   * intent present), read in the same atomic step.
   */
  async recordPushStep(appId: string, userId: string, patch: AppUserPatch): Promise<boolean> {
    const result = await this.committer.commit(
      new Transition(this.keys, appId).writeAppUser(appId, userId, patch),
    );
    return result.ok && result.userWanted;
  }

  /**
   * The push's outcome in one step: its tasks (those still queued) succeeded or failed, the app user's
   * pushed state and last outcome, every request and response of the push and one outcome event per
   * task, the app's outcome window. Throws when Redis does not take it, so the job fails and is retried.
   * Applied only while the push holds the lease it took, which it releases: once, even if re-sent after a
   * Redis crash lost its reply. Answers the outcome window after a final failure.
   */
  async finishPush(push: PushOutcome): Promise<string[]> {
    const { appId, userId, tasks, outcome, lease } = push;
    const t = new Transition(this.keys, appId).expectLease(appId, userId, lease);
    const final = outcome.status !== 'retrying';
    if (final) {
      for (const task of tasks) {
        const settled: Task =
          outcome.status === 'succeeded'
            ? { ...task, status: 'succeeded' }
            : { ...task, status: 'failed', error: outcome.message };
        t.saveTask(settled, { onlyFrom: 'queued' });
      }
      const patch: AppUserPatch =
        outcome.status === 'succeeded'
          ? { ...push.pushed, outcome: 'ok', lastError: null }
          : { outcome: 'failed', lastError: outcome.message };
      t.writeAppUser(appId, userId, patch, { remove: tasks.map((task) => task.id) });
      t.recordOutcome(appId, outcome.status === 'succeeded', OUTCOME_WINDOW);
    } else t.writeAppUser(appId, userId, { lastError: outcome.message });
    t.releaseLease(appId, userId, lease.owner);
    t.log(...push.events);
    const result = await this.finishes.call(appId, t, lease.owner);
    if (!result.ok) {
      this.logger.warn(
        { appId, userId },
        'push finish refused: its lease was released (a re-send after a lost reply) or taken over',
      );
      return outcome.status === 'failed'
        ? this.redis.lrange(this.keys.appOutcomes(appId), 0, OUTCOME_WINDOW - 1)
        : [];
    }
    // A create that raced an unassign left an account nobody wants: plan its deprovisioning now.
    if (outcome.status === 'succeeded' && push.pushed.externalId && !result.userWanted)
      await this.reconcile(appId, [userId]);
    return result.outcomeWindow;
  }

  /** At push time the user is no longer meant to be on the target: its queued tasks are superseded, unpushed. */
  async supersedeAtPush(
    appId: string,
    userId: string,
    owner: string,
    tasks: Task[],
    reason: string,
  ): Promise<void> {
    const t = new Transition(this.keys, appId).releaseLease(appId, userId, owner);
    for (const task of tasks) {
      t.saveTask({ ...task, status: 'superseded', decidedAt: t.nowIso }, { onlyFrom: 'queued' });
      t.log(taskEvent(task, 'skipped', `Not pushed: ${reason}`));
    }
    t.writeAppUser(appId, userId, { outcome: '' }, { remove: tasks.map((task) => task.id) });
    await this.committer.commit(t);
  }

  // ---- deletion safety ----------------------------------------------------------------------------

  /** The threshold is passed: the app holds deprovisions from now on (guarded on the app record read). */
  private async holdDeletions(app: AppRecord, appRaw: string, wouldQueue: number): Promise<void> {
    const t = new Transition(this.keys, app.id).expectValue(this.keys.app(app.id), appRaw);
    const next: AppRecord = { ...app, deletionHold: { since: t.nowIso } };
    t.setString(this.keys.app(app.id), JSON.stringify(next)).publishOn(
      this.keys.appEvents,
      JSON.stringify({ type: 'changed', appId: app.id }),
    );
    if ((await this.committer.commit(t)).ok)
      this.logger.warn({ appId: app.id, wouldQueue }, 'deletion threshold passed: deprovisions held');
  }

  /**
   * Ends the hold (Allow or Reject), guarded on the app record read, and restarts the window; answers
   * false when the record changed meanwhile (the caller reads again).
   */
  async endDeletionHold(appRaw: string): Promise<boolean> {
    const app = JSON.parse(appRaw) as AppRecord;
    const t = new Transition(this.keys, app.id)
      .expectValue(this.keys.app(app.id), appRaw)
      .setString(this.keys.app(app.id), JSON.stringify({ ...app, deletionHold: null } satisfies AppRecord))
      .deleteKey(this.keys.appDeletionWindow(app.id))
      .publishOn(this.keys.appEvents, JSON.stringify({ type: 'changed', appId: app.id }));
    return (await this.committer.commit(t)).ok;
  }

  /** Approves the given pending tasks, each guarded on its own (those no longer pending are left). */
  approveMany(appId: string, taskIds: string[], by: string): Promise<void> {
    return this.approveStaged(appId, taskIds, by, new Date().toISOString());
  }

  // ---- quarantine ---------------------------------------------------------------------------------

  /** Pauses the app's pushes (its queue) and records why; nothing is dropped. */
  async quarantine(appId: string, reason: string, pause: () => Promise<void>): Promise<void> {
    await pause();
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const raw = await this.redis.get(this.keys.app(appId));
      if (raw === null) return;
      const app = JSON.parse(raw) as AppRecord;
      if (app.quarantine) return;
      const next: AppRecord = { ...app, quarantine: { reason, since: new Date().toISOString() } };
      const t = new Transition(this.keys, appId)
        .expectValue(this.keys.app(appId), raw)
        .setString(this.keys.app(appId), JSON.stringify(next))
        .publishOn(this.keys.appEvents, JSON.stringify({ type: 'changed', appId }));
      if ((await this.committer.commit(t)).ok) {
        this.logger.warn({ appId }, 'app quarantined');
        return;
      }
    }
  }

  /** After a successful Enable: the outcome window restarts and the queue resumes. */
  async lift(appId: string, resume: () => Promise<void>): Promise<void> {
    await this.committer.commit(new Transition(this.keys, appId).deleteKey(this.keys.appOutcomes(appId)));
    // Resumed whatever the record says: a concurrent save may have lost the quarantine flag, never the pause.
    await resume();
  }

  // ---- repair -------------------------------------------------------------------------------------

  /**
   * Users marked as owed a re-plan for longer than `graceMs` (a crash between a directory or assignment
   * write and its planning) are planned now and unmarked. Answers how many.
   */
  async repairReplans(appId: string, graceMs: number): Promise<number> {
    const members = await this.redis.zrangebyscore(
      this.keys.appReplan(appId),
      '-inf',
      Date.now() - graceMs,
      'LIMIT',
      0,
      CHUNK,
    );
    if (members.length === 0) return 0;
    const userIds = [...new Set(members.map((m) => m.slice(0, m.lastIndexOf(MARK_SEPARATOR))))];
    // The write may have happened without its announcement (the crash came between them).
    await this.announce(appId, userIds);
    await this.reconcile(appId, userIds);
    await this.unmark([appId], members);
    this.logger.warn(
      { appId, users: userIds.length },
      'repair: planned users whose change a crash left unplanned',
    );
    return userIds.length;
  }

  /**
   * App users queued for longer than `graceMs` while the app's queue holds no job at all (none waiting,
   * delayed or running: a crash lost theirs) are owed their push again and enqueued, with a log event
   * saying so. While jobs remain, one of them may still hold the user (in a batch): repair waits for the
   * queue to drain. Answers how many.
   */
  async repair(appId: string, queueIdle: () => Promise<boolean>, graceMs: number): Promise<number> {
    if (!(await queueIdle())) return 0;
    const lost = await this.redis.zrangebyscore(
      this.keys.appState(appId, 'queued'),
      '-inf',
      Date.now() - graceMs,
      'LIMIT',
      0,
      CHUNK,
    );
    if (lost.length === 0) return 0;
    const snapshots = await this.appSnapshots(appId, lost);
    const transitions = snapshots.flatMap((s) => {
      const task = s.queued[0];
      if (!task) return [];
      return [
        new Transition(this.keys, appId)
          .owePush(appId, s.userId)
          .log(
            taskEvent(
              task,
              'queued',
              `Repair: ${describe(task)} was queued with no push job (lost in a crash); enqueued again.`,
            ),
          ),
      ];
    });
    await this.committer.commitMany(transitions);
    await this.queues.enqueue(appId, lost);
    this.logger.warn({ appId, users: lost.length }, 'repair: re-enqueued queued users without a push job');
    return lost.length;
  }
}

interface Decision {
  transition: Transition;
  counted: keyof ReconcileResult;
  /** A delete or suspend queued without approval: it counts towards the deletion threshold. */
  deprovision?: boolean;
}

export type PushOutcomeStatus = { status: 'succeeded' } | { status: 'retrying' | 'failed'; message: string };

export interface PushOutcome {
  appId: string;
  userId: string;
  /** The lease the push took (its job holds it), released with the outcome. */
  lease: HeldLease;
  tasks: Task[];
  outcome: PushOutcomeStatus;
  /** What the last reconcile step changed on the target (written with a success). */
  pushed: AppUserPatch;
  events: NewLogEvent[];
}
