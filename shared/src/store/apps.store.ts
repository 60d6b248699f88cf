import { notFound } from '../errors/app-error.ts';
import { type Command, type RedisClient, sendTogether } from '../redis/connection.ts';
import type { AppRecord } from '../types/app.schema.ts';
import { cursorOffset, nextCursor } from './cursor.ts';
import type { StoreKeys } from './keys.ts';
import { FINAL_TASK_STATUSES } from './tasks.store.ts';

export type AppEvent = { type: 'created' | 'changed' | 'deleted'; appId: string };

/** App records, the index of app ids workers discover queues from, and the channel that announces changes. */
export class AppsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async find(id: string): Promise<AppRecord | null> {
    const raw = await this.redis.get(this.keys.app(id));
    return raw ? (JSON.parse(raw) as AppRecord) : null;
  }

  async get(id: string): Promise<AppRecord> {
    const app = await this.find(id);
    if (!app) throw notFound('app', id);
    return app;
  }

  async ids(): Promise<string[]> {
    return this.redis.zrange(this.keys.apps, 0, -1);
  }

  /** A page in creation order. */
  async list(page: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: AppRecord[]; nextCursor: string | null }> {
    const offset = cursorOffset(page.cursor);
    const ids = await this.redis.zrange(this.keys.apps, offset, offset + page.limit - 1);
    // Each app's record is on its app's shard: one GET each (sent together), not one MGET.
    const raws = await sendTogether(
      this.redis,
      ids.map((id): Command => ['get', this.keys.app(id)]),
    );
    const items = raws
      .filter((r): r is string => typeof r === 'string')
      .map((r) => JSON.parse(r) as AppRecord);
    return { items, nextCursor: nextCursor(offset, ids.length, page.limit) };
  }

  /**
   * The record, then (the index being the directory's, on another shard in a cluster) the index: a crash
   * in between leaves a record no list shows, never a listed app without its record.
   */
  async save(app: AppRecord, event: AppEvent['type']): Promise<void> {
    await this.redis.set(this.keys.app(app.id), JSON.stringify(app));
    if (event === 'created') await this.redis.zadd(this.keys.apps, Date.now(), app.id);
    await this.publish({ type: event, appId: app.id });
  }

  private async publish(event: AppEvent): Promise<void> {
    await this.redis.publish(this.keys.appEvents, JSON.stringify(event));
  }

  /**
   * Removes the app from the directory's index and role grants, then every key under the app (its
   * indexes tell which: no SCAN) in one step on the app's shard.
   */
  async remove(appId: string, userIds: string[], taskIds: string[]): Promise<void> {
    const k = this.keys;
    await this.redis.multi().zrem(k.apps, appId).unlink(k.appRoles(appId)).exec();
    const tx = this.redis.multi();
    for (const userId of userIds) tx.unlink(k.appUser(appId, userId), k.appUserQueued(appId, userId));
    for (let i = 0; i < taskIds.length; i += 1000)
      tx.unlink(...taskIds.slice(i, i + 1000).map((id) => k.task(appId, id)));
    const states = ['pending', 'queued', 'provisioned', 'suspended', 'deprovisioned', 'failed', 'denied'];
    const statuses = ['pending', 'approved', 'denied', 'superseded', 'queued', 'succeeded', 'failed'];
    tx.unlink(
      k.app(appId),
      k.appDirect(appId),
      ...k.allAppDirectoryVersions(appId),
      k.appAssignedBefore(appId),
      k.appAssignedCount(appId),
      ...k.allAppAssigned(appId),
      k.appOutbox(appId),
      k.appReplan(appId),
      k.appOutcomes(appId),
      k.appDeletionWindow(appId),
      k.appUserIds(appId),
      k.appUsersBefore(appId),
      k.appTaskIds(appId),
      k.appTasksBefore(appId),
      ...states.map((s) => k.appState(appId, s)),
      ...statuses.map((s) => k.appTaskStatus(appId, s)),
      ...[...FINAL_TASK_STATUSES].map((s) => k.appTaskIdsWithStatus(appId, s)),
    );
    await tx.exec();
    await this.publish({ type: 'deleted', appId });
  }
}
