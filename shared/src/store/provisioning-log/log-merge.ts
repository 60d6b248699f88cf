import type { LogEvent } from '../../types/log-types.ts';
import { newestFirst } from './log-codec.ts';

/** A read of one app's page: its matches strictly below `below` (an event id; none: from the top). */
export interface AppReadRequest {
  appId: string;
  below: string | undefined;
  limit: number;
}

/**
 * What a read found: its matches, newest first, and the position it stopped at (the matches at and
 * above it are all in `items`; null when the app has no more). Fewer items than asked with a position:
 * the read spent its scan budget.
 */
export interface AppRead {
  items: LogEvent[];
  next: string | null;
}

/** Reads pages of several apps in one round trip. */
export type ReadApps = (requests: AppReadRequest[]) => Promise<AppRead[]>;

interface AppState {
  appId: string;
  items: LogEvent[];
  next: string | null;
  spent: boolean;
}

/**
 * One page of the apps' matches merged newest first (by public id), starting strictly below `start`.
 * Every app is read a share of the page first; then the apps still holding matches are read again
 * until the page is known: an event belongs to it only when no app left unread can hold a newer one
 * (it is at or above every app's stop position). An app that spent its scan budget at the top ends
 * the page short, with its position as the cursor, as a single app's page does.
 */
export async function mergedPage(
  appIds: string[],
  start: string | undefined,
  limit: number,
  read: ReadApps,
): Promise<{ items: LogEvent[]; next: string | null }> {
  const states: AppState[] = appIds.map((appId) => ({ appId, items: [], next: start ?? null, spent: false }));
  let pending = states;
  let share = Math.min(limit, Math.ceil(limit / Math.max(1, appIds.length)) + 1);
  for (;;) {
    const reads = await read(
      pending.map((s) => ({ appId: s.appId, below: s.next ?? undefined, limit: share })),
    );
    pending.forEach((state, i) => {
      const { items, next } = reads[i] as AppRead;
      state.items.push(...items);
      state.next = next;
      state.spent = next !== null && items.length < share;
    });
    const open = states.filter((s) => s.next !== null);
    const frontier = open.reduce<AppState | undefined>(
      (top, s) => (top === undefined || (s.next as string) > (top.next as string) ? s : top),
      undefined,
    );
    const known = states
      .flatMap((s) => s.items)
      .filter((event) => frontier === undefined || event.id >= (frontier.next as string))
      .sort(newestFirst);
    if (known.length >= limit) {
      const items = known.slice(0, limit);
      const more = known.length > limit || frontier !== undefined;
      return { items, next: more ? (items.at(-1) as LogEvent).id : null };
    }
    if (!frontier) return { items: known, next: null };
    if (frontier.spent) return { items: known, next: frontier.next };
    pending = open.filter((s) => !s.spent);
    share = Math.min(limit, Math.ceil((limit - known.length) / pending.length) + 1);
  }
}
