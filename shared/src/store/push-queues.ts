import { type JobsOptions, Queue } from 'bullmq';
import type { Config } from '../config/env.ts';
import type { Logger } from '../logger/logger.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { PushJob } from '../types/task.schema.ts';
import { type StoreKeys, storeKeys } from './keys.ts';

export const PUSH_JOB = 'sync-user';
/** Braces make the app id the hash tag of every key of the queue: in a cluster, the app's queue lives on its shard. */
export const pushQueueName = (appId: string): string => `push-{${appId}}`;
export const bullPrefix = (config: Config): string => `${config.PROVISIM_KEY_PREFIX}:bull`;

/** One job per (app, user): a job added while one runs is kept once and runs after it (never in parallel). */
export function pushJobOptions(config: Config, userId: string): JobsOptions {
  return {
    deduplication: { id: userId, keepLastIfActive: true },
    attempts: config.PROVISIM_PUSH_ATTEMPTS,
    backoff: { type: 'scim' },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 5000 },
  };
}

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

  /** Adds one job per user (deduplicated), then clears them from the outbox (the lifecycle marks it). */
  async enqueue(appId: string, userIds: string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    for (let i = 0; i < unique.length; i += 1000) {
      const chunk = unique.slice(i, i + 1000);
      await this.queue(appId).addBulk(
        chunk.map((userId) => ({
          name: PUSH_JOB,
          data: { appId, userId },
          opts: pushJobOptions(this.config, userId),
        })),
      );
      await this.connection.srem(this.keys.appOutbox(appId), ...chunk);
    }
  }

  /**
   * Enqueues what a state change recorded but whose job was never added (the process or Redis died in
   * between); adding twice is harmless, jobs being deduplicated per user and reconciling.
   */
  async flushOutbox(appId: string): Promise<number> {
    const userIds = await this.connection.srandmember(this.keys.appOutbox(appId), 1000);
    if (userIds.length > 0) await this.enqueue(appId, userIds);
    return userIds.length;
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

  /** Whether the user's push has a job waiting, delayed or running (its deduplication key names it). */
  async hasLiveJob(appId: string, userId: string): Promise<boolean> {
    const queue = this.queue(appId);
    const jobId = await queue.getDeduplicationJobId(userId);
    if (!jobId) return false;
    const job = await queue.getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
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
