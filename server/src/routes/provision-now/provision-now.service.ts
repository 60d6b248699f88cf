import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../../../shared/src/config/env.ts';
import { conflict } from '../../../../shared/src/errors/app-error.ts';
import type { Lifecycle } from '../../../../shared/src/provisioning/lifecycle.ts';
import type { PushQueues } from '../../../../shared/src/store/push-queues.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import { liveWorkers } from '../../../../shared/src/store/worker-heartbeat.ts';
import type { ProvisionNowResult } from '../../../../shared/src/types/provision-now.schema.ts';
import type { Task } from '../../../../shared/src/types/task.schema.ts';
import { taskView } from '../../presenters/task.presenter.ts';
import { pushFirst } from './push-first.ts';

const ON_DEMAND = 'admin (provision on demand)';
const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 50;
const SETTLED = new Set<Task['status']>(['succeeded', 'failed', 'superseded', 'denied']);

/**
 * Entra's provision on demand for one user: the change the mapping asks for now is planned as usual,
 * approved by the caller if it awaits approval (logged with that actor), and pushed ahead of the app's
 * queue; the answer waits for the push and carries its steps from the provisioning log.
 */
export class ProvisionNowService {
  constructor(
    private readonly stores: Stores,
    private readonly lifecycle: Lifecycle,
    private readonly queues: PushQueues,
    private readonly config: Config,
  ) {}

  async run(appId: string, userId: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ProvisionNowResult> {
    const app = await this.stores.apps.get(appId);
    await this.stores.users.get(userId);
    if (!app.provisioning.enabled)
      throw conflict('provisioning_disabled', 'Enable provisioning before provisioning on demand.');
    const since = new Date(Date.now() - 1).toISOString();
    await this.lifecycle.reconcile(appId, [userId]);
    const pendingId = (await this.stores.appUsers.find(appId, userId))?.pendingTaskId;
    if (pendingId) await this.lifecycle.approve(appId, pendingId, ON_DEMAND);
    const task = await this.latestQueued(appId, userId);
    if (!task) return { outcome: 'unchanged', task: null, steps: [] };
    await pushFirst(this.queues, appId, userId);
    const settled = await this.waitSettled(appId, task.id, timeoutMs);
    return {
      outcome: settled.status === 'denied' ? 'superseded' : (settled.status as ProvisionNowResult['outcome']),
      task: taskView(settled),
      steps: await this.steps(appId, userId, task.id, since),
    };
  }

  private async latestQueued(appId: string, userId: string): Promise<Task | undefined> {
    const ids = await this.stores.redis.smembers(this.stores.keys.appUserQueued(appId, userId));
    const queued = (await this.stores.tasks.getMany(appId, ids)).filter((t) => t.status === 'queued');
    return queued.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  }

  /**
   * The task once its push settled it, or as it is at the deadline (still queued); at once when no
   * worker process is running, as nothing would push it meanwhile.
   */
  private async waitSettled(appId: string, taskId: string, timeoutMs: number): Promise<Task> {
    const workers = await liveWorkers(this.stores.redis, this.config.PROVISIM_KEY_PREFIX);
    const deadline = Date.now() + (workers > 0 ? timeoutMs : 0);
    for (;;) {
      const task = await this.stores.tasks.get(appId, taskId);
      if (SETTLED.has(task.status) || Date.now() >= deadline) return task;
      await sleep(POLL_MS);
    }
  }

  /** The log's events of this task since the request came, oldest first. */
  private async steps(appId: string, userId: string, taskId: string, since: string) {
    const page = await this.stores.log.query({ appId, userId, since }, { limit: 1000 });
    return page.items
      .filter((event) => event.taskId === taskId)
      .reverse()
      .map(({ at, status, message, request, response, durationMs }) => ({
        at,
        status,
        message,
        ...(request ? { request } : {}),
        ...(response ? { response } : {}),
        ...(durationMs !== undefined ? { durationMs } : {}),
      }));
  }
}
