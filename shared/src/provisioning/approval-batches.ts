import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../redis/connection.ts';
import { LuaScript } from '../redis/lua-script.ts';
import { newId } from '../store/ids.ts';
import type { StoreKeys } from '../store/keys.ts';

const STAGE = new LuaScript(new URL('./stage-approval.lua', import.meta.url));
const STAGE_OF = new LuaScript(new URL('./stage-approval-of.lua', import.meta.url));
const RELEASE = new LuaScript(new URL('./release-lock.lua', import.meta.url));

const CHUNK = 1000;
const LOCK_MS = 15_000;
const SETTLE_POLL_MS = 20;
/** A plan's ids written but never staged (the process died in between) expire. */
const PLAN_IDS_TTL_MS = 600_000;

/** What one materialisation step did: `locked` when another process holds the app's batches. */
export type StepResult = 'done' | 'progress' | 'locked';

/** Approves staged tasks (those still pending), each in its own guarded transition; the lifecycle's. */
export type ApproveStaged = (
  appId: string,
  taskIds: string[],
  by: string,
  decidedAt: string,
) => Promise<void>;

/**
 * 'Bulk approve' in O(1): the request stages the app's pending ids as a batch; each task is then
 * approved by the lifecycle's guarded transition, chunk by chunk, and its id leaves the batch only
 * after, so a process dying mid-batch leaves the rest for the next flush and loses nothing. A task
 * superseded or decided meanwhile is no longer pending and is left as it is.
 */
export class ApprovalBatches {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly approveStaged: ApproveStaged,
  ) {}

  /** Approves every pending task of the app as one batch; answers how many. */
  stage(appId: string, by: string): Promise<number> {
    const batchId = newId();
    return STAGE.run<number>(this.redis, {
      keys: this.stagingKeys(appId, batchId),
      args: [batchId, String(Date.now()), by],
    });
  }

  /** What staging a batch writes: the pending index it takes from, the batch, its marker, the batches. */
  private stagingKeys(appId: string, batchId: string): string[] {
    const k = this.keys;
    return [
      k.appTaskStatus(appId, 'pending'),
      k.appApprovalTasks(appId, batchId),
      k.appApprovalMarker(appId, batchId),
      k.appApprovals(appId),
    ];
  }

  /**
   * Approves these tasks (a plan's) as one batch, those of them still pending; answers how many. The
   * ids go to Redis in chunks, then one script moves the pending ones out of the pending index.
   */
  async stageTasks(appId: string, taskIds: readonly string[], by: string): Promise<number> {
    if (taskIds.length === 0) return 0;
    const batchId = newId();
    const planIds = this.keys.appApprovalPlan(appId, batchId);
    const p = this.redis.pipeline();
    for (let i = 0; i < taskIds.length; i += CHUNK)
      p.zadd(planIds, ...taskIds.slice(i, i + CHUNK).flatMap((id) => [0, id]));
    p.pexpire(planIds, PLAN_IDS_TTL_MS);
    for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    return STAGE_OF.run<number>(this.redis, {
      keys: [...this.stagingKeys(appId, batchId), planIds],
      args: [batchId, String(Date.now()), by],
    });
  }

  /** Batches staged and not yet fully materialised. */
  count(appId: string): Promise<number> {
    return this.redis.zcard(this.keys.appApprovals(appId));
  }

  /** Materialises up to `maxChunks` chunks of the app's batches, taking the app's lock chunk by chunk. */
  async step(appId: string, maxChunks = Number.POSITIVE_INFINITY): Promise<StepResult> {
    for (let chunks = 0; chunks < maxChunks; chunks++) {
      const more = await this.locked(appId, () => this.materializeNext(appId));
      if (more === 'locked') return 'locked';
      if (!more) return 'done';
    }
    return 'progress';
  }

  /**
   * Materialises, ahead of the rest of their batch, whichever of these tasks a bulk approval staged, so
   * a change or decision about them sees them approved. Answers whether there were any.
   */
  async settleTasks(appId: string, taskIds: string[]): Promise<boolean> {
    if (taskIds.length === 0 || (await this.count(appId)) === 0) return false;
    for (;;) {
      const settled = await this.locked(appId, async () => {
        const staged = await this.stagedAmong(appId, taskIds);
        for (const [batchId, ids] of staged) await this.materialize(appId, batchId, ids);
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
      await RELEASE.run(this.redis, { keys: [lock], args: [token] });
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
  private async materializeNext(appId: string): Promise<boolean> {
    const k = this.keys;
    const [batchId] = await this.redis.zrange(k.appApprovals(appId), 0, 0);
    if (!batchId) return false;
    const ids = await this.redis.zrange(k.appApprovalTasks(appId, batchId), 0, CHUNK - 1);
    if (ids.length > 0) await this.materialize(appId, batchId, ids);
    else
      await this.redis
        .multi()
        .zrem(k.appApprovals(appId), batchId)
        .del(k.appApprovalMarker(appId, batchId))
        .exec();
    return true;
  }

  /** Approves these staged tasks (those still pending), then takes them out of their batch. */
  private async materialize(appId: string, batchId: string, ids: string[]): Promise<void> {
    const marker = await this.redis.hgetall(this.keys.appApprovalMarker(appId, batchId));
    const decidedAt = new Date(Number(marker.at ?? Date.now())).toISOString();
    await this.approveStaged(appId, ids, marker.by ?? 'admin', decidedAt);
    await this.redis.zrem(this.keys.appApprovalTasks(appId, batchId), ...ids);
  }
}
