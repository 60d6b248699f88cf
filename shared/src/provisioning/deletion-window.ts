import type { RedisClient } from '../redis/connection.ts';
import type { StoreKeys } from '../store/keys.ts';
import type { AppRecord } from '../types/app.schema.ts';
import type { TaskActionName } from '../types/task.schema.ts';
import type { Transition } from './transition.ts';

export const isDeprovision = (action: TaskActionName): boolean => action === 'suspend' || action === 'delete';

/** The app holds its deprovisions: a new delete or suspend waits for Allow instead of being queued. */
export const heldByDeletionSafety = (app: AppRecord, action: TaskActionName): boolean =>
  Boolean(app.deletionSafety?.enabled && app.deletionHold) && isDeprovision(action);

export const heldMessage = (app: AppRecord, what: string): string =>
  `Held by deletion safety (more than ${app.deletionSafety?.threshold} deletes or suspends within ${app.deletionSafety?.windowSeconds} s): ${what}. Allow on the app releases the held deprovisions.`;

/** What the threshold counts against while no hold is set; null when the app has no threshold or already holds. */
export interface DeletionWindow {
  key: string;
  threshold: number;
  recent: number;
  expired: string[];
}

export async function readDeletionWindow(
  redis: RedisClient,
  keys: StoreKeys,
  app: AppRecord,
  nowMs: number,
): Promise<DeletionWindow | null> {
  const safety = app.deletionSafety;
  if (!safety?.enabled || app.deletionHold) return null;
  const key = keys.appDeletionWindow(app.id);
  const members = await redis.smembers(key);
  const since = nowMs - safety.windowSeconds * 1000;
  const expired = members.filter((member) => Number(member.slice(0, member.indexOf(':'))) <= since);
  return { key, threshold: safety.threshold, recent: members.length - expired.length, expired };
}

/** Counts a queued deprovision in the window (and drops what fell out of it) with the transition queuing it. */
export function noteDeprovision(t: Transition, window: DeletionWindow, taskId: string): void {
  t.addToSet(window.key, `${t.now.getTime()}:${taskId}`).removeFromSet(window.key, ...window.expired);
}

/** Whether queuing `more` deprovisions now would pass the threshold. */
export const exceeds = (window: DeletionWindow, more: number): boolean =>
  more > 0 && window.recent + more > window.threshold;
