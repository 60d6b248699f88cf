import { type JobsOptions, Queue } from 'bullmq';
import type { Config } from '../config/env.ts';
import type { Logger } from '../logger/logger.ts';
import type { RedisClient } from '../redis/connection.ts';
import { PUSH_BATCH_MAX, type PushJob } from '../types/task.schema.ts';
import { type StoreKeys, storeKeys } from './keys.ts';

const PUSH_JOB = 'sync-user';
const PUSH_BATCH = 'sync-users';
/** Braces make the app id the hash tag of every key of the queue: in a cluster, the app's queue lives on its shard. */
export const pushQueueName = (appId: string): string => `push-{${appId}}`;
export const bullPrefix = (config: Config): string => `${config.PROVISIM_KEY_PREFIX}:bull`;
/**
 * Users enqueued together are split over at least this many jobs (when there are as many users), so a
 * small approval still pushes in parallel up to the app's concurrency; a large one goes in batches of
 * PUSH_BATCH_MAX, which spares the queue's own work per user.
 */
const JOB_SPREAD = 16;

/**
 * Finished jobs kept for a look at the queue (nothing in provisim reads them): a batch job keeps its
 * users' ids, about 2.2 KB, so the last 1,000 completed cost each app 2.2 MB of Redis, 100 about 220 KB.
 */
const finishedJobsKept = { removeOnComplete: { count: 100 }, removeOnFail: { count: 5000 } };

/** One job per (app, user): a job added while one runs is kept once and runs after it (never in parallel). */
function pushJobOptions(config: Config, userId: string, attemptsBefore = 0): JobsOptions {
  return {
    deduplication: { id: userId, keepLastIfActive: true },
    attempts: Math.max(1, config.PROVISIM_PUSH_ATTEMPTS - attemptsBefore),
    backoff: { type: 'scim' },
    ...finishedJobsKept,
  };
}

/** A batch job: its users' retries and waits go to jobs of their own (see the push processor). */
const batchJobOptions = (config: Config): JobsOptions => ({
  attempts: config.PROVISIM_PUSH_ATTEMPTS,
  backoff: { type: 'scim' },
  ...finishedJobsKept,
});

/** How a user's push goes back to the queue on its own: after a wait, with what it already spent. */
export interface PushAgain {
  delayMs?: number;
  attemptsBefore?: number;
  rateLimited?: PushJob['rateLimited'];
  /** At the head of the queue (provision on demand). */
  first?: boolean;
}

const batchSize = (users: number) => Math.min(PUSH_BATCH_MAX, Math.max(1, Math.ceil(users / JOB_SPREAD)));

/** Producer side: one BullMQ queue per app, opened on first use, sharing the caller's connection. */
export class PushQueues {
  private readonly queues = new Map<string, Queue<PushJob>>();

  private readonly keys: StoreKeys;

  constructor(
    private readonly config: Config,
    private readonly connection: RedisClient,
    private readonly logger: Logger,
  ) {
    this.keys = storeKeys(config.PROVISIM_KEY_PREFIX);
  }

  queue(appId: string): Queue<PushJob> {
    let queue = this.queues.get(appId);
    if (!queue) {
      queue = new Queue<PushJob>(pushQueueName(appId), {
        connection: this.connection,
        prefix: bullPrefix(this.config),
      });
      queue.on('error', (err) => this.logger.warn({ err: err.message, appId }, 'push queue error'));
      this.queues.set(appId, queue);
    }
    return queue;
  }

  /**
   * Adds the users' pushes, then clears them from the outbox (the lifecycle marks it): a few users get a
   * job each (deduplicated), many go in batch jobs. A user in two jobs at once is pushed by one at a time
   * (the push's lease, see AppUsersStore.loadForPush).
   */
  async enqueue(appId: string, userIds: string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    for (let i = 0; i < unique.length; i += 1000) {
      const chunk = unique.slice(i, i + 1000);
      const size = batchSize(chunk.length);
      const jobs: { name: string; data: PushJob; opts: JobsOptions }[] = [];
      for (let j = 0; j < chunk.length; j += size) {
        const users = chunk.slice(j, j + size);
        jobs.push(
          size === 1
            ? {
                name: PUSH_JOB,
                data: { appId, userIds: users },
                opts: pushJobOptions(this.config, users[0] as string),
              }
            : { name: PUSH_BATCH, data: { appId, userIds: users }, opts: batchJobOptions(this.config) },
        );
      }
      await this.queue(appId).addBulk(jobs);
      await this.connection.srem(this.keys.appOutbox(appId), ...chunk);
    }
  }

  /** The user's push as a job of its own (deduplicated per user), after `delayMs` or at the queue's head. */
  async pushAlone(appId: string, userId: string, again: PushAgain = {}): Promise<void> {
    const { delayMs, attemptsBefore, rateLimited, first } = again;
    await this.queue(appId).add(
      PUSH_JOB,
      {
        appId,
        userIds: [userId],
        ...(attemptsBefore ? { attemptsBefore } : {}),
        ...(rateLimited ? { rateLimited } : {}),
      },
      {
        ...pushJobOptions(this.config, userId, attemptsBefore),
        ...(delayMs ? { delay: delayMs } : {}),
        ...(first ? { lifo: true } : {}),
      },
    );
  }

  /**
   * Enqueues what a state change recorded but whose job was never added (the process or Redis died in
   * between): the users in the outbox that it held at the previous call too (`before`), so users whose
   * producer is between its commit and its enqueue right now are left to it (adding twice is harmless, a
   * push reconciling from the state it reads, but each extra push of a user costs its start). Answers
   * the users found now, for the next call, and how many were enqueued.
   */
  async flushOutbox(
    appId: string,
    before: ReadonlySet<string>,
  ): Promise<{ found: Set<string>; flushed: number }> {
    const found = new Set(await this.connection.srandmember(this.keys.appOutbox(appId), 1000));
    const owed = [...found].filter((userId) => before.has(userId));
    if (owed.length > 0) await this.enqueue(appId, owed);
    return { found, flushed: owed.length };
  }

  /** Jobs of the app waiting, delayed or running (the app's queue being paused counts as waiting). */
  async busy(appId: string): Promise<number> {
    const counts = await this.queue(appId).getJobCounts(
      'active',
      'waiting',
      'delayed',
      'paused',
      'prioritized',
      'waiting-children',
    );
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async remove(appId: string): Promise<void> {
    const queue = this.queue(appId);
    await queue.obliterate({ force: true });
    await queue.close();
    this.queues.delete(appId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
