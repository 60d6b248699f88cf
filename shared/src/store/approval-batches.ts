import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Task } from '../types/task.schema.ts';
import type { AppUsersStore } from './app-users.store.ts';
import { newId } from './ids.ts';
import type { StoreKeys } from './keys.ts';
import type { NewLogEvent, ProvisioningLog } from './provisioning-log/provisioning-log.ts';
import type { PushQueues } from './push-queues.ts';
import { queueTaskWrites } from './queue-task.ts';
import { approvalEvents } from './task-events.ts';
import type { TasksStore } from './tasks.store.ts';

/**
 * Moves every pending task id of the app into a new batch in O(1) (RENAME of the status index) and records
 * the batch marker. KEYS: pending index, batch tasks, batch marker, batches index. ARGV: batch id, at ms, by.
 */
const STAGE = `
local n = redis.call('ZCARD', KEYS[1])
if n == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[3], 'by', ARGV[3], 'at', ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
return n
`;

/** Deletes the key only while it still holds our token. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type WithScripts = {
  provisimStageApproval(...args: string[]): Promise<number>;
  provisimReleaseLock(key: string, token: string): Promise<number>;
};

const CHUNK = 1000;
const LOCK_MS = 15_000;
const SETTLE_POLL_MS = 20;

/** What one materialisation step did: `locked` when another process holds the app's batches. */
export type StepResult = 'done' | 'progress' | 'locked';

/**
 * 'Bulk approve' in O(1): the request stages the app's pending ids as a batch; the per-task writes
 * (status, app-user intent, 'approved'/'queued' events, the push job) are materialised in chunks
 * afterwards, each chunk in one transaction (log events included) that also removes its ids from the
 * batch, so a process dying mid-batch leaves the rest for the next flush and loses nothing.
 */
export class ApprovalBatches {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
    private readonly stores: { tasks: TasksStore; appUsers: AppUsersStore; log: ProvisioningLog },
  ) {
    if (!('provisimStageApproval' in redis)) {
      redis.defineCommand('provisimStageApproval', { numberOfKeys: 4, lua: STAGE });
      redis.defineCommand('provisimReleaseLock', { numberOfKeys: 1, lua: RELEASE });
    }
  }

  private get scripts(): WithScripts {
    return this.redis as unknown as WithScripts;
  }

  /** Approves every pending task of the app as one batch; answers how many. */
  stage(appId: string, by: string): Promise<number> {
    const batchId = newId();
    const k = this.keys;
    return this.scripts.provisimStageApproval(
      k.appTaskStatus(appId, 'pending'),
      k.appApprovalTasks(appId, batchId),
      k.appApprovalMarker(appId, batchId),
      k.appApprovals(appId),
      batchId,
      String(Date.now()),
      by,
    );
  }

  /** Batches staged and not yet fully materialised. */
  count(appId: string): Promise<number> {
    return this.redis.zcard(this.keys.appApprovals(appId));
  }

  /** Materialises up to `maxChunks` chunks of the app's batches, taking the app's lock chunk by chunk. */
  async step(appId: string, queues: PushQueues, maxChunks = Number.POSITIVE_INFINITY): Promise<StepResult> {
    for (let chunks = 0; chunks < maxChunks; chunks++) {
      const more = await this.locked(appId, () => this.materializeNext(appId, queues));
      if (more === 'locked') return 'locked';
      if (!more) return 'done';
    }
    return 'progress';
  }

  /**
   * Materialises, ahead of the rest of their batch, whichever of these tasks a bulk approval staged, so
   * a change or decision about them sees them approved. Answers whether there were any.
   */
  async settleTasks(appId: string, taskIds: string[], queues: PushQueues): Promise<boolean> {
    if (taskIds.length === 0 || (await this.count(appId)) === 0) return false;
    for (;;) {
      const settled = await this.locked(appId, async () => {
        const staged = await this.stagedAmong(appId, taskIds);
        for (const [batchId, ids] of staged) await this.materialize(appId, batchId, ids, queues);
        return staged.size > 0;
      });
      if (settled !== 'locked') return settled;
      await sleep(SETTLE_POLL_MS);
    }
  }

  private async locked<T>(appId: string, work: () => Promise<T>): Promise<T | 'locked'> {
    const lock = this.keys.appApprovalsLock(appId);
    const token = randomBytes(8).toString('hex');
    if ((await this.redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return 'locked';
    try {
      return await work();
    } finally {
      await this.scripts.provisimReleaseLock(lock, token);
    }
  }

  /** Staged ids among `taskIds`, by batch. */
  private async stagedAmong(appId: string, taskIds: string[]): Promise<Map<string, string[]>> {
    const batchIds = await this.redis.zrange(this.keys.appApprovals(appId), 0, -1);
    const p = this.redis.pipeline();
    for (const batchId of batchIds) p.zmscore(this.keys.appApprovalTasks(appId, batchId), ...taskIds);
    const replies = (await p.exec()) ?? [];
    const staged = new Map<string, string[]>();
    replies.forEach(([err, scores], i) => {
      if (err) throw err;
      const ids = taskIds.filter((_, j) => (scores as (string | null)[])[j] !== null);
      if (ids.length > 0) staged.set(batchIds[i] as string, ids);
    });
    return staged;
  }

  /** Every key of the app's staged batches, for deleting the app. */
  async allKeys(appId: string): Promise<string[]> {
    const ids = await this.redis.zrange(this.keys.appApprovals(appId), 0, -1);
    return [
      this.keys.appApprovals(appId),
      this.keys.appApprovalsLock(appId),
      ...ids.flatMap((id) => [this.keys.appApprovalTasks(appId, id), this.keys.appApprovalMarker(appId, id)]),
    ];
  }

  /** One chunk of the oldest batch; false when no batch is left. */
  private async materializeNext(appId: string, queues: PushQueues): Promise<boolean> {
    const k = this.keys;
    const [batchId] = await this.redis.zrange(k.appApprovals(appId), 0, 0);
    if (!batchId) return false;
    const ids = await this.redis.zrange(k.appApprovalTasks(appId, batchId), 0, CHUNK - 1);
    if (ids.length > 0) await this.materialize(appId, batchId, ids, queues);
    else
      await this.redis
        .multi()
        .zrem(k.appApprovals(appId), batchId)
        .del(k.appApprovalMarker(appId, batchId))
        .exec();
    return true;
  }

  /** Records these staged tasks as approved and queued, in one transaction that takes them out of their batch. */
  private async materialize(
    appId: string,
    batchId: string,
    ids: string[],
    queues: PushQueues,
  ): Promise<void> {
    const marker = await this.redis.hgetall(this.keys.appApprovalMarker(appId, batchId));
    const by = marker.by ?? 'admin';
    const decidedAt = new Date(Number(marker.at ?? Date.now())).toISOString();
    const tasks = (await this.stores.tasks.getMany(ids)).filter((t) => t.status === 'pending');
    const p = this.redis.multi();
    const events: NewLogEvent[] = [];
    for (const task of tasks) {
      const queued: Task = { ...task, status: 'queued', decidedAt, decidedBy: by };
      queueTaskWrites(this.stores, p, queued, 'pending');
      events.push(...approvalEvents(queued, by));
    }
    const userIds = tasks.map((t) => t.userId);
    queues.markOutbox(p, appId, userIds);
    p.zrem(this.keys.appApprovalTasks(appId, batchId), ...ids);
    this.stores.log.appendOn(p, events);
    await p.exec();
    await queues.enqueue(appId, userIds);
  }
}
