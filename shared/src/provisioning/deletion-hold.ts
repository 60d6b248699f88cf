import { AppError, conflict } from '../errors/app-error.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Stores } from '../store/stores.ts';
import type { AppRecord } from '../types/app.schema.ts';
import type { DeletionSafety } from '../types/deletion-safety.schema.ts';
import type { Task } from '../types/task.schema.ts';
import type { Lifecycle } from './lifecycle.ts';

const PAGE = 1000;
const MAX_TRIES = 20;

/** The pending tasks held by the app's deletion threshold, oldest first. */
export async function heldTasks(stores: Stores, appId: string): Promise<Task[]> {
  const key = stores.keys.appTaskStatus(appId, 'pending');
  const held: Task[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const ids = await stores.redis.zrange(key, offset, offset + PAGE - 1);
    held.push(...(await stores.tasks.getMany(appId, ids)).filter((t) => t.held && t.status === 'pending'));
    if (ids.length < PAGE) return held;
  }
}

/**
 * The app's accidental-deletion threshold and its hold: the setting, the held deprovisions (pending tasks
 * marked `held`), and the admin's Allow or Reject naming how many were seen. Allow approves them through
 * the lifecycle, Reject denies them; either ends the hold.
 */
export class DeletionHoldService {
  private readonly redis: RedisClient;

  constructor(
    private readonly stores: Stores,
    private readonly lifecycle: Lifecycle,
  ) {
    this.redis = stores.redis;
  }

  async configure(appId: string, safety: DeletionSafety): Promise<AppRecord> {
    const app = await this.stores.apps.get(appId);
    if (!safety.enabled && app.deletionHold)
      throw conflict(
        'deletion_hold_active',
        'Deprovisions are held: Allow or Reject them before turning deletion safety off.',
      );
    const next: AppRecord = { ...app, deletionSafety: safety };
    await this.stores.apps.save(next, 'changed');
    return next;
  }

  /** Ends the hold and approves the held deprovisions; 409 unless `count` is how many are held now. */
  async allow(appId: string, count: number, by: string): Promise<{ allowed: number }> {
    const held = await this.endHold(appId, count);
    await this.lifecycle.approveMany(
      appId,
      held.map((task) => task.id),
      `${by} (deletion hold: Allow ${count})`,
    );
    return { allowed: held.length };
  }

  /** Ends the hold and denies the held deprovisions (the accounts stay on the target). */
  async reject(appId: string, count: number, by: string): Promise<{ rejected: number }> {
    const held = await this.endHold(appId, count);
    let rejected = 0;
    for (const task of held) {
      try {
        await this.lifecycle.deny(appId, task.id, `Deletion hold rejected (${count} held)`, by);
        rejected += 1;
      } catch (err) {
        // Decided or superseded since it was counted: nothing left to reject for it.
        if (!(err instanceof AppError && err.status === 409)) throw err;
      }
    }
    return { rejected };
  }

  private async endHold(appId: string, count: number): Promise<Task[]> {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const appRaw = await this.redis.get(this.stores.keys.app(appId));
      if (appRaw === null) await this.stores.apps.get(appId);
      const app = JSON.parse(appRaw as string) as AppRecord;
      if (!app.deletionHold)
        throw conflict('no_deletion_hold', 'No deprovisions are held for this app.', { count: 0 });
      const held = await heldTasks(this.stores, appId);
      if (held.length !== count)
        throw conflict(
          'deletion_hold_count_changed',
          `${held.length} deprovisions are held now, not ${count}; review them and Allow again.`,
          { count: held.length },
        );
      if (await this.lifecycle.endDeletionHold(appRaw as string)) return held;
    }
    throw conflict('transition_contended', 'The app changed while the hold was ending; try again.');
  }
}
