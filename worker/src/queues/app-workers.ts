import { Queue, Worker } from 'bullmq';
import type { Config } from '../../../shared/src/config/env.ts';
import type { Logger } from '../../../shared/src/logger/logger.ts';
import { Lifecycle } from '../../../shared/src/provisioning/lifecycle.ts';
import type { RedisClient } from '../../../shared/src/redis/connection.ts';
import { ScimCallError } from '../../../shared/src/scim-client/scim-client.ts';
import { targetPolicy } from '../../../shared/src/scim-client/target-policy.ts';
import type { AppEvent } from '../../../shared/src/store/apps.store.ts';
import { storeKeys } from '../../../shared/src/store/keys.ts';
import { bullPrefix, PushQueues, pushQueueName } from '../../../shared/src/store/push-queues.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import type { PushJob } from '../../../shared/src/types/task.schema.ts';
import { createPushProcessor } from '../processors/push.processor.ts';
import { PushesUnderWay } from '../processors/pushes-under-way.ts';
import { AppCache } from './app-cache.ts';
import { pushBackoff } from './backoff.ts';

const RESYNC_MS = 5000;
const OUTBOX_MS = 1000;
/** The repair sweep: on start, then this often; a user queued for less than the grace is left to its job. */
const REPAIR_MS = 5000;
const REPAIR_GRACE_MS = 5000;
/** Changes reach the cache through the app events channel; the expiry only bounds a missed message. */
const APP_CACHE_MS = 1000;
/** Bulk approvals another process left half materialised: chunks of 1,000 per app per flush. */
const APPROVAL_CHUNKS_PER_FLUSH = 20;
/** A killed worker's job is picked up again once its lock lapses (then checked every STALLED_INTERVAL_MS). */
const LOCK_MS = 5000;
const STALLED_INTERVAL_MS = 2500;

interface Running {
  worker: Worker<PushJob>;
  queue: Queue<PushJob>;
  settings: string;
}

const settingsOf = (app: AppRecord) =>
  `${app.provisioning.concurrency}/${app.provisioning.rateLimitPerSecond ?? '-'}`;

/** One BullMQ worker per app queue, started and stopped as apps come and go (pub/sub, with a periodic resync). */
export class AppWorkers {
  private readonly running = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;
  private outboxTimer: NodeJS.Timeout | undefined;
  private repairTimer: NodeJS.Timeout | undefined;
  private readonly producer: PushQueues;
  /** What each app's outbox held at the last flush (see PushQueues.flushOutbox). */
  private readonly outboxes = new Map<string, Set<string>>();
  private readonly lifecycle: Lifecycle;
  private readonly underWay = new PushesUnderWay();
  private readonly apps: AppCache;
  private sync: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly deps: {
      config: Config;
      stores: Stores;
      connection: RedisClient;
      subscriber: RedisClient;
      logger: Logger;
    },
  ) {
    this.producer = new PushQueues(deps.config, deps.connection, deps.logger);
    this.lifecycle = new Lifecycle(deps.stores, this.producer, deps.logger, {
      pushesUnderWay: this.underWay.count,
    });
    this.apps = new AppCache(deps.stores.apps, APP_CACHE_MS);
  }

  async start(): Promise<void> {
    const { subscriber, config } = this.deps;
    const channel = storeKeys(config.PROVISIM_KEY_PREFIX).appEvents;
    subscriber.on('message', (ch: string, message: string) => {
      if (ch !== channel) return;
      const event = JSON.parse(message) as AppEvent;
      this.apps.invalidate(event.appId);
      this.schedule(() => this.refresh(event.appId));
    });
    await subscriber.subscribe(channel);
    await this.resync();
    this.schedule(() => this.repair());
    this.timer = setInterval(() => this.schedule(() => this.resync()), RESYNC_MS);
    this.outboxTimer = setInterval(() => this.schedule(() => this.flushOutboxes()), OUTBOX_MS);
    this.repairTimer = setInterval(() => this.schedule(() => this.repair()), REPAIR_MS);
  }

  private schedule(step: () => Promise<void>): void {
    this.sync = this.sync
      .then(() => (this.closed ? undefined : step()))
      .catch((err) => this.deps.logger.warn({ err: (err as Error).message }, 'worker discovery failed'));
  }

  private async flushOutboxes(): Promise<void> {
    for (const appId of this.running.keys()) {
      await this.lifecycle.approvals.step(appId, APPROVAL_CHUNKS_PER_FLUSH);
      const { found, flushed } = await this.producer.flushOutbox(
        appId,
        this.outboxes.get(appId) ?? new Set(),
      );
      this.outboxes.set(appId, found);
      if (flushed > 0) this.deps.logger.info({ appId, flushed }, 'enqueued pushes left in the outbox');
    }
  }

  /**
   * Users whose change a crash left unplanned are planned; users left queued once the app's queue is
   * empty (a crash lost their job) are enqueued again.
   */
  private async repair(): Promise<void> {
    for (const appId of this.running.keys()) {
      await this.lifecycle.repairReplans(appId, REPAIR_GRACE_MS);
      await this.lifecycle.repair(
        appId,
        async () => (await this.producer.busy(appId)) === 0,
        REPAIR_GRACE_MS,
      );
    }
  }

  private async resync(): Promise<void> {
    const ids = new Set(await this.deps.stores.apps.ids());
    for (const appId of ids) await this.refresh(appId);
    for (const appId of this.running.keys()) if (!ids.has(appId)) await this.stop(appId);
  }

  private async refresh(appId: string): Promise<void> {
    const app = await this.deps.stores.apps.find(appId);
    const current = this.running.get(appId);
    if (!app) return this.stop(appId);
    if (current?.settings === settingsOf(app)) return;
    if (current) await this.stop(appId);
    this.running.set(appId, await this.open(app));
  }

  private async open(app: AppRecord): Promise<Running> {
    const { config, connection, logger } = this.deps;
    const prefix = bullPrefix(config);
    const name = pushQueueName(app.id);
    const queue = new Queue<PushJob>(name, { connection, prefix });
    queue.on('error', (err) => logger.warn({ err: err.message, appId: app.id }, 'queue error'));
    await queue.setGlobalConcurrency(app.provisioning.concurrency);
    const processor = createPushProcessor({
      lifecycle: this.lifecycle,
      underWay: this.underWay,
      apps: this.apps,
      config,
      policy: targetPolicy(config),
      quarantine: async (target, reason) => {
        await this.lifecycle.quarantine(target.id, reason, () => queue.pause());
        // This process's jobs see it at once; the others when the app's change message reaches them.
        this.apps.invalidate(target.id);
      },
      queues: this.producer,
    });
    const rate = app.provisioning.rateLimitPerSecond;
    const worker = new Worker<PushJob>(name, processor, {
      connection,
      prefix,
      concurrency: Math.min(app.provisioning.concurrency, config.PROVISIM_WORKER_CONCURRENCY),
      ...(rate ? { limiter: { max: rate, duration: 1000 } } : {}),
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_INTERVAL_MS,
      maxStalledCount: 10,
      settings: {
        backoffStrategy: (attemptsMade, _type, err) =>
          pushBackoff(
            config.PROVISIM_RETRY_BASE_MS,
            attemptsMade,
            err instanceof ScimCallError ? err.retryAfterMs : undefined,
          ),
      },
    });
    worker.on('error', (err) => logger.warn({ err: err.message, appId: app.id }, 'worker error'));
    worker.on('failed', (job, err) => {
      const final = !job || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final)
        logger.warn({ appId: app.id, users: job?.data.userIds, err: err.message }, 'push job failed');
      else logger.debug({ appId: app.id, users: job?.data.userIds, err: err.message }, 'push attempt failed');
    });
    // Running once its connections are ready, so that no stop() closes it before: BullMQ's Worker
    // closed while its blocking connection initialises disconnects that connection under its INFO, then
    // emits the rejection after close() removed every listener, an unhandled rejection that exits the
    // process (an app changed just after its worker opened; on a cluster, ~10 ms to be ready, often).
    try {
      await worker.waitUntilReady();
    } catch (err) {
      await worker.close();
      await queue.close();
      throw err;
    }
    return { worker, queue, settings: settingsOf(app) };
  }

  private async stop(appId: string): Promise<void> {
    const running = this.running.get(appId);
    if (!running) return;
    this.running.delete(appId);
    this.outboxes.delete(appId);
    await running.worker.close();
    await running.queue.close();
  }

  /** Stops discovery, then lets every worker finish its in-flight jobs. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.outboxTimer);
    clearInterval(this.repairTimer);
    await this.sync;
    await Promise.all([...this.running.keys()].map((appId) => this.stop(appId)));
    await this.producer.close();
  }
}
