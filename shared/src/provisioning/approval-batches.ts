import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../redis/connection.ts';
import { LuaScript } from '../redis/lua-script.ts';
import { newId } from '../store/ids.ts';
import type { StoreKeys } from '../store/keys.ts';
import type { TaskRead } from '../store/tasks.store.ts';

const STAGE = new LuaScript(new URL('./stage-approval.lua', import.meta.url));
const STAGE_OF = new LuaScript(new URL('./stage-approval-of.lua', import.meta.url));
const RELEASE = new LuaScript(new URL('./release-lock.lua', import.meta.url));

const CHUNK = 1000;
/**
 * Chunks materialised under one take of the app's lock (about half a second of work): few enough that
 * a single approval settling its task waits little, enough that the chunks' pipeline seldom drains.
 */
const CHUNKS_PER_LOCK = 10;
const LOCK_MS = 15_000;
const SETTLE_POLL_MS = 20;
/** A plan's ids written but never staged (the process died in between) expire. */
const PLAN_IDS_TTL_MS = 600_000;

/** What one materialisation step did: `locked` when another process holds the app's batches. */
export type StepResult = 'done' | 'progress' | 'locked';

/** The lifecycle's approval of staged tasks, each in its own guarded transition. */
export interface StagedApprovals {
  /** The tasks among these still pending. */
  readPending(appId: string, taskIds: string[]): Promise<TaskRead[]>;
  /** Approves these tasks read pending (each re-checked), and enqueues their pushes. */
  approve(appId: string, tasks: TaskRead[], by: string, decidedAt: string): Promise<void>;
}

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
    private readonly staged: StagedApprovals,
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

  /** Materialises up to `maxChunks` chunks of the app's batches, taking the app's lock for a few at a time. */
  async step(appId: string, maxChunks = Number.POSITIVE_INFINITY): Promise<StepResult> {
    for (let chunks = 0; chunks < maxChunks; chunks += CHUNKS_PER_LOCK) {
      const more = await this.locked(appId, () =>
        this.materializeNext(appId, Math.min(CHUNKS_PER_LOCK, maxChunks - chunks)),
      );
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
        for (const [batchId, ids] of staged) await this.materialize(appId, batchId, [ids]);
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

  /** Up to `chunks` chunks of the oldest batch; false when no batch is left. */
  private async materializeNext(appId: string, chunks: number): Promise<boolean> {
    const k = this.keys;
    const [batchId] = await this.redis.zrange(k.appApprovals(appId), 0, 0);
    if (!batchId) return false;
    const ids = await this.redis.zrange(k.appApprovalTasks(appId, batchId), 0, chunks * CHUNK - 1);
    if (ids.length > 0)
      await this.materialize(
        appId,
        batchId,
        Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, i) =>
          ids.slice(i * CHUNK, (i + 1) * CHUNK),
        ),
      );
    else
      await this.redis
        .multi()
        .zrem(k.appApprovals(appId), batchId)
        .del(k.appApprovalMarker(appId, batchId))
        .exec();
    return true;
  }

  /**
   * Approves these chunks of staged tasks (those still pending), taking each chunk out of its batch once
   * approved and enqueued. The next chunk is read while Redis applies this one (approving re-checks each
   * task is still pending), and approved while this one is enqueued and taken out: two chunks at most in
   * flight, so Redis and the API each work while the other does.
   */
  private async materialize(appId: string, batchId: string, chunks: string[][]): Promise<void> {
    const marker = await this.redis.hgetall(this.keys.appApprovalMarker(appId, batchId));
    const by = marker.by ?? 'admin';
    const decidedAt = new Date(Number(marker.at ?? Date.now())).toISOString();
    const batch = this.keys.appApprovalTasks(appId, batchId);
    const started: Promise<unknown>[] = [];
    const start = <T>(work: Promise<T>): Promise<T> => {
      started.push(work);
      // Marked handled at once (a failure while another is awaited is no unhandled rejection); each
      // is still awaited, below or in the catch.
      work.catch(() => undefined);
      return work;
    };
    try {
      let reading = start(this.staged.readPending(appId, chunks[0] ?? []));
      let previous: Promise<unknown> = Promise.resolve();
      for (const [i, ids] of chunks.entries()) {
        const tasks = await reading;
        const next = chunks[i + 1];
        if (next) reading = start(this.staged.readPending(appId, next));
        const current = start(
          this.staged.approve(appId, tasks, by, decidedAt).then(() => this.redis.zrem(batch, ...ids)),
        );
        await previous;
        previous = current;
      }
      await previous;
    } catch (err) {
      // What is in flight ends before the lock is released, and each failure is reported.
      const failures = (await Promise.allSettled(started)).flatMap((r) =>
        r.status === 'rejected' ? [r.reason] : [],
      );
      throw failures.length > 1 ? new AggregateError(failures, 'bulk approval chunks failed') : err;
    }
  }
}
