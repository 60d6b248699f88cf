import { conflict } from '../../../shared/src/errors/app-error.ts';
import type { Logger } from '../../../shared/src/logger/logger.ts';
import type { AppUserRecord } from '../../../shared/src/store/app-users.store.ts';
import { newId } from '../../../shared/src/store/ids.ts';
import type { NewLogEvent } from '../../../shared/src/store/provisioning-log/provisioning-log.ts';
import type { PushQueues } from '../../../shared/src/store/push-queues.ts';
import { queueTaskWrites } from '../../../shared/src/store/queue-task.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import {
  approvalEvents,
  describeTask as describe,
  taskEvent,
} from '../../../shared/src/store/task-events.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import type { User } from '../../../shared/src/types/directory.schema.ts';
import type { Task } from '../../../shared/src/types/task.schema.ts';
import { baselineOf, type Plan, planDeprovision, planPresence, requestOf } from './plan-task.ts';

/** One change to turn into a task (or a skipped log event) for one user of one app. */
export interface Change {
  userId: string;
  email: string;
  /** Assigned after the change (undefined: unchanged). */
  assigned?: boolean;
  /** The directory user; null when the user was deleted. */
  user: User | null;
  kind: 'presence' | 'deprovision';
}

export interface SubmitResult {
  queued: number;
  pending: number;
  unchanged: number;
}

const CHUNK = 1000;
const ADMIN = 'admin';

const pendingIdsOf = (records: Map<string, AppUserRecord>): string[] =>
  [...records.values()].map((r) => r.pendingTaskId).filter((id): id is string => id !== null);

/** Turns directory and assignment changes into approval tasks, decides them, and hands approved ones to the push queue. */
export class ProvisioningService {
  constructor(
    private readonly stores: Stores,
    private readonly queues: PushQueues,
    private readonly logger: Logger,
  ) {}

  /** Plans and records tasks for many users of one app in batches: one pipeline, one log write, one addBulk per batch. */
  async submit(app: AppRecord, changes: Change[]): Promise<SubmitResult> {
    const result: SubmitResult = { queued: 0, pending: 0, unchanged: 0 };
    for (let i = 0; i < changes.length; i += CHUNK) {
      const part = await this.submitChunk(app, changes.slice(i, i + CHUNK));
      result.queued += part.queued;
      result.pending += part.pending;
      result.unchanged += part.unchanged;
    }
    return result;
  }

  private async submitChunk(app: AppRecord, changes: Change[]): Promise<SubmitResult> {
    const { appUsers, tasks, redis } = this.stores;
    const userIds = changes.map((c) => c.userId);
    let records = await appUsers.findMany(app.id, userIds);
    if (await this.settle(app.id, pendingIdsOf(records))) records = await appUsers.findMany(app.id, userIds);
    const pendingIds = pendingIdsOf(records);
    const pendingTasks = new Map((await tasks.getMany(pendingIds)).map((t) => [t.id, t]));
    const p = redis.multi();
    const events: NewLogEvent[] = [];
    const toPush: string[] = [];
    const result: SubmitResult = { queued: 0, pending: 0, unchanged: 0 };
    const now = new Date().toISOString();

    for (const change of changes) {
      const record = records.get(change.userId);
      const pending = record?.pendingTaskId ? pendingTasks.get(record.pendingTaskId) : undefined;
      if (change.assigned !== undefined) appUsers.setAssigned(p, app.id, change.userId, change.assigned);
      const plan: Plan = !app.provisioning.enabled
        ? { kind: 'none' }
        : change.kind === 'presence' && change.user
          ? planPresence(app, change.user, baselineOf(record, pending))
          : planDeprovision(app, record);
      const base = {
        email: change.email,
        ...(change.assigned === undefined ? {} : { assigned: change.assigned }),
      };
      if (plan.kind === 'none') {
        appUsers.write(p, app.id, change.userId, base);
        result.unchanged += 1;
        continue;
      }
      if (pending) {
        tasks.save(p, { ...pending, status: 'superseded', decidedAt: now }, 'pending');
        events.push(
          taskEvent(
            pending,
            'skipped',
            `Superseded by a newer change before approval (${describe(pending)}).`,
          ),
        );
      }
      if (plan.kind === 'skip') {
        appUsers.write(p, app.id, change.userId, { ...base, pendingTaskId: null });
        events.push({
          appId: app.id,
          userId: change.userId,
          taskId: pending?.id ?? newId(),
          action: app.provisioning.onDelete === 'delete' ? 'delete' : 'suspend',
          status: 'skipped',
          message: plan.message,
        });
        result.unchanged += 1;
        continue;
      }
      const request = requestOf(app, record, plan);
      const task: Task = {
        id: newId(),
        appId: app.id,
        userId: change.userId,
        action: plan.action,
        status: 'pending',
        approvalKind: plan.approvalKind,
        createdAt: now,
        method: request.method,
        preview: request.body,
        resource: plan.resource,
        groups: plan.groups,
      };
      if (app.provisioning.requireApproval[plan.approvalKind]) {
        tasks.save(p, task, null);
        appUsers.write(p, app.id, change.userId, { ...base, pendingTaskId: task.id });
        events.push(taskEvent(task, 'pending_approval', `Awaiting admin approval: ${describe(task)}.`));
        result.pending += 1;
      } else {
        const queued: Task = { ...task, status: 'queued', decidedAt: now, decidedBy: 'auto' };
        queueTaskWrites(this.stores, p, queued, null, base);
        events.push(taskEvent(queued, 'queued', `Queued without approval: ${describe(task)}.`));
        toPush.push(change.userId);
        result.queued += 1;
      }
    }
    this.queues.markOutbox(p, app.id, toPush);
    await p.exec();
    await this.stores.log.appendMany(events);
    await this.queues.enqueue(app.id, toPush);
    return result;
  }

  async approve(appId: string, taskId: string): Promise<Task> {
    await this.settle(appId, [taskId]);
    const task = await this.stores.tasks.get(appId, taskId);
    if (task.status !== 'pending')
      throw conflict('task_not_pending', `Task ${taskId} is ${task.status}, not pending.`);
    const queued: Task = { ...task, status: 'queued', decidedAt: new Date().toISOString(), decidedBy: ADMIN };
    const p = this.stores.redis.multi();
    queueTaskWrites(this.stores, p, queued, 'pending');
    this.queues.markOutbox(p, appId, [task.userId]);
    await p.exec();
    await this.stores.log.appendMany(approvalEvents(queued, ADMIN));
    await this.queues.enqueue(appId, [task.userId]);
    return queued;
  }

  /**
   * Stages every pending task as one batch (O(1) in their number) and answers how many; the per-task
   * writes, events and jobs are materialised right after, in the background (and by any worker's
   * outbox flush should this process die first).
   */
  async approveAll(appId: string): Promise<number> {
    const approved = await this.stores.approvals.stage(appId, ADMIN);
    if (approved > 0) this.materializeInBackground(appId);
    return approved;
  }

  private materializeInBackground(appId: string): void {
    this.stores.approvals
      .step(appId, this.queues)
      .catch((err) =>
        this.logger.warn({ appId, err: (err as Error).message }, 'bulk approval materialisation failed'),
      );
  }

  /** Lets what a bulk approval staged of these tasks land before a change reads or decides them. */
  private settle(appId: string, taskIds: string[]): Promise<boolean> {
    return this.stores.approvals.settleTasks(appId, taskIds, this.queues);
  }

  async deny(appId: string, taskId: string, reason: string | undefined): Promise<Task> {
    const { tasks, appUsers, redis, log } = this.stores;
    await this.settle(appId, [taskId]);
    const task = await tasks.get(appId, taskId);
    if (task.status !== 'pending')
      throw conflict('task_not_pending', `Task ${taskId} is ${task.status}, not pending.`);
    const record = await appUsers.find(appId, task.userId);
    const denied: Task = {
      ...task,
      status: 'denied',
      decidedAt: new Date().toISOString(),
      decidedBy: ADMIN,
      ...(reason ? { reason } : {}),
    };
    const p = redis.multi();
    tasks.save(p, denied, 'pending');
    const neverProvisioned = record?.intent === null || record?.intent === 'absent';
    appUsers.write(p, appId, task.userId, {
      pendingTaskId: null,
      ...(neverProvisioned ? { outcome: 'denied' } : {}),
    });
    await p.exec();
    await log.append(taskEvent(denied, 'denied', `Denied by ${ADMIN}${reason ? `: ${reason}` : ''}.`, ADMIN));
    return denied;
  }

  async retry(appId: string, taskId: string): Promise<Task> {
    const task = await this.stores.tasks.get(appId, taskId);
    if (task.status !== 'failed')
      throw conflict(
        'task_not_failed',
        `Task ${taskId} is ${task.status}; only failed tasks can be retried.`,
      );
    const { error: _previousError, ...rest } = task;
    const queued: Task = { ...rest, status: 'queued' };
    const p = this.stores.redis.multi();
    this.stores.tasks.save(p, queued, 'failed');
    this.stores.appUsers.addQueuedTask(p, appId, task.userId, task.id);
    this.stores.appUsers.write(p, appId, task.userId, { outcome: '', lastError: null });
    this.queues.markOutbox(p, appId, [task.userId]);
    await p.exec();
    await this.stores.log.append(
      taskEvent(queued, 'queued', `Retry requested by ${ADMIN}: ${describe(task)}.`, ADMIN),
    );
    await this.queues.enqueue(appId, [task.userId]);
    return queued;
  }

  /** Recomputes every assigned user's resource and queues or holds what changed. */
  async reapply(app: AppRecord): Promise<SubmitResult> {
    if (!app.provisioning.enabled)
      throw conflict('provisioning_disabled', 'Enable provisioning before reapplying mappings.');
    const ids = await this.stores.appUsers.assignedIds(app.id);
    const result: SubmitResult = { queued: 0, pending: 0, unchanged: 0 };
    for (let i = 0; i < ids.length; i += CHUNK) {
      const users = await this.stores.users.getMany(ids.slice(i, i + CHUNK));
      const part = await this.submit(
        app,
        [...users.values()].map((user) => ({
          userId: user.id,
          email: user.email,
          user,
          kind: 'presence' as const,
        })),
      );
      result.queued += part.queued;
      result.pending += part.pending;
      result.unchanged += part.unchanged;
    }
    this.logger.info({ appId: app.id, ...result }, 'mappings reapplied');
    return result;
  }

  /** Tasks for every app the user is assigned to, after a directory edit, suspend or reactivate. */
  async userChanged(user: User): Promise<void> {
    for (const appId of await this.stores.appUsers.appsOfUser(user.id)) {
      const app = await this.stores.apps.find(appId);
      if (app) await this.submit(app, [{ userId: user.id, email: user.email, user, kind: 'presence' }]);
    }
  }

  /** Each assigned app applies its deprovisioning action to a user leaving the directory. */
  async userDeleted(user: User): Promise<void> {
    for (const appId of await this.stores.appUsers.appsOfUser(user.id)) {
      const app = await this.stores.apps.find(appId);
      if (app)
        await this.submit(app, [
          { userId: user.id, email: user.email, user: null, assigned: false, kind: 'deprovision' },
        ]);
    }
  }
}
