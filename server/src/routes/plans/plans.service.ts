import { createHash } from 'node:crypto';
import { conflict } from '../../../../shared/src/errors/app-error.ts';
import type { Lifecycle } from '../../../../shared/src/provisioning/lifecycle.ts';
import { baselineOf, desiredResourceOf, planPresence } from '../../../../shared/src/provisioning/plan.ts';
import type { AppUserRecord } from '../../../../shared/src/store/app-users.store.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import type { AppRecord } from '../../../../shared/src/types/app.schema.ts';
import type { User } from '../../../../shared/src/types/directory.schema.ts';
import type { Task } from '../../../../shared/src/types/task.schema.ts';
import { diffResources } from './attribute-diff.ts';
import {
  type ApplyResult,
  type BulkPlan,
  PLAN_ITEMS_SHOWN,
  type PlanItem,
  type PlanKind,
} from './plans.schema.ts';

const READ = 1000;

const nameOf = (user: User | undefined) => (user ? `${user.firstname} ${user.lastname}`.trim() : null);

async function everyPage<T>(read: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * What a bulk change would do, user by user, before it is done: Bulk approve (the pending tasks) and
 * Reapply Mappings (what each assigned user's mapping now asks of the target). Applying takes the plan's
 * id and refuses with 409 plan_changed unless the plan computed again is the same.
 */
export class PlansService {
  constructor(
    private readonly stores: Stores,
    private readonly lifecycle: Lifecycle,
  ) {}

  async plan(appId: string, kind: PlanKind): Promise<BulkPlan> {
    return (await this.compute(await this.stores.apps.get(appId), kind)).plan;
  }

  async apply(appId: string, kind: PlanKind, planId: string): Promise<ApplyResult> {
    const app = await this.stores.apps.get(appId);
    const { plan: current, items } = await this.compute(app, kind);
    if (current.planId !== planId)
      throw conflict(
        'plan_changed',
        `The plan changed since it was shown: it is now ${current.counts.creates} creates, ${current.counts.updates} updates and ${current.counts.removals} suspends or deletes. Review the new plan.`,
        { planId: current.planId, counts: current.counts },
      );
    if (kind === 'reapply') {
      const result = await this.lifecycle.reapply(app);
      return { kind, planId, queued: result.queued, pending: result.pending };
    }
    // Exactly the plan's tasks, staged as one bulk approval that materialises in chunks after the answer;
    // a task that became pending since the plan was computed is not among them and stays pending.
    const taskIds = items.flatMap((item) => (item.taskId ? [item.taskId] : []));
    const queued = await this.lifecycle.approveTasks(app.id, taskIds);
    return { kind, planId, queued, pending: 0 };
  }

  /** The plan as shown (its first items) and all its items. */
  private async compute(app: AppRecord, kind: PlanKind): Promise<{ plan: BulkPlan; items: PlanItem[] }> {
    const items = kind === 'approve-all' ? await this.pendingItems(app) : await this.reapplyItems(app);
    items.sort((a, b) => a.userId.localeCompare(b.userId));
    const count = (...actions: PlanItem['action'][]) =>
      items.filter((item) => actions.includes(item.action)).length;
    const plan: BulkPlan = {
      kind,
      planId: createHash('sha256')
        .update(JSON.stringify([kind, items]))
        .digest('hex'),
      total: items.length,
      counts: {
        creates: count('create'),
        updates: count('update', 'reactivate'),
        removals: count('suspend', 'delete'),
      },
      items: items.slice(0, PLAN_ITEMS_SHOWN),
      truncated: items.length > PLAN_ITEMS_SHOWN,
    };
    return { plan, items };
  }

  private pendingTasks(app: AppRecord): Promise<Task[]> {
    return everyPage((cursor) => this.stores.tasks.list(app.id, { status: 'pending', limit: READ, cursor }));
  }

  private async pendingItems(app: AppRecord): Promise<PlanItem[]> {
    const tasks = await this.pendingTasks(app);
    const userIds = tasks.map((task) => task.userId);
    const [records, users] = await Promise.all([
      this.stores.appUsers.findMany(app.id, userIds),
      this.stores.users.getMany(userIds),
    ]);
    return tasks.map((task) => {
      const record = records.get(task.userId);
      return {
        userId: task.userId,
        email: record?.email ?? users.get(task.userId)?.email ?? '',
        name: nameOf(users.get(task.userId)),
        action: task.action,
        taskId: task.id,
        changes: diffResources(record?.pushedResource ?? null, desiredResourceOf(task)),
      };
    });
  }

  private async reapplyItems(app: AppRecord): Promise<PlanItem[]> {
    const ids = await this.stores.appUsers.assignedIds(app.id);
    const items: PlanItem[] = [];
    for (let i = 0; i < ids.length; i += READ) {
      const chunk = ids.slice(i, i + READ);
      const [records, users] = await Promise.all([
        this.stores.appUsers.findMany(app.id, chunk),
        this.stores.users.getMany(chunk),
      ]);
      for (const user of users.values()) {
        const record: AppUserRecord | undefined = records.get(user.id);
        const pending = record?.pendingTaskId
          ? await this.stores.tasks.find(app.id, record.pendingTaskId)
          : undefined;
        const baseline = baselineOf(record, pending ?? undefined);
        const plan = planPresence(app, user, baseline);
        if (plan.kind !== 'task') continue;
        items.push({
          userId: user.id,
          email: user.email,
          name: nameOf(user),
          action: plan.action,
          changes: diffResources(baseline.resource, plan.resource),
        });
      }
    }
    return items;
  }
}
