import { newestFirst } from './log-codec.ts';

/** What the merge orders: anything with a public event id (the log merges entries not yet decoded). */
export interface Positioned {
  id: string;
}

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
export interface AppRead<T extends Positioned> {
  items: T[];
  next: string | null;
}

/** Reads pages of several apps in one round trip. */
export type ReadApps<T extends Positioned> = (requests: AppReadRequest[]) => Promise<AppRead<T>[]>;

interface AppState<T extends Positioned> {
  appId: string;
  /** Matches read and not yet on a page, newest first. */
  items: T[];
  next: string | null;
  spent: boolean;
}

export interface MergedPages<T extends Positioned> {
  /** The next page; `next` is null once the match is exhausted. */
  page(limit: number): Promise<{ items: T[]; next: string | null }>;
}

/**
 * The apps' matches merged newest first (by public id), starting strictly below `start`, a page at a
 * time. Every app is read its share of the page first. An event belongs to the page only when no app
 * can still hold a newer one (it is at or above every open app's stop position); until `limit` are,
 * the apps that stopped above the page's likely end (the `limit`-th newest event read so far) are read
 * again, twice as much each round. Matches read beyond a page wait for the next one, so a reader of
 * every page (the export) reads each event about once. An app that spent its scan budget at the top
 * ends the page short, with its position as the cursor, as a single app's page does.
 */
export function mergedPages<T extends Positioned>(
  appIds: string[],
  start: string | undefined,
  read: ReadApps<T>,
): MergedPages<T> {
  const states: AppState<T>[] = appIds.map((appId) => ({
    appId,
    items: [],
    next: start ?? null,
    spent: false,
  }));
  let pending = states;
  const hand = (page: T[], next: string | null) => {
    const taken = new Set(page);
    for (const state of states) state.items = state.items.filter((event) => !taken.has(event));
    return { items: page, next };
  };
  return {
    async page(limit) {
      let share = Math.min(limit, Math.ceil(limit / Math.max(1, appIds.length)) + 1);
      for (;;) {
        if (pending.length > 0) {
          const reads = await read(
            pending.map((s) => ({ appId: s.appId, below: s.next ?? undefined, limit: share })),
          );
          pending.forEach((state, i) => {
            const { items, next } = reads[i] as AppRead<T>;
            state.items.push(...items);
            state.next = next;
            state.spent = next !== null && items.length < share;
          });
          share = Math.min(limit, share * 2);
        }
        const open = states.filter((s) => s.next !== null);
        const frontier = open.reduce<AppState<T> | undefined>(
          (top, s) => (top === undefined || (s.next as string) > (top.next as string) ? s : top),
          undefined,
        );
        const seen = states.flatMap((s) => s.items).sort(newestFirst);
        const known = frontier ? seen.filter((event) => event.id >= (frontier.next as string)) : seen;
        if (known.length >= limit) {
          const page = known.slice(0, limit);
          const more = known.length > limit || frontier !== undefined;
          pending = [];
          return hand(page, more ? (page.at(-1) as T).id : null);
        }
        if (!frontier) return hand(known, null);
        if (frontier.spent) {
          // The page ends where that app stopped; the next page reads on from there.
          frontier.spent = false;
          pending = [];
          return hand(known, frontier.next);
        }
        const likelyEnd = seen.at(limit - 1)?.id;
        pending = open.filter((s) => !s.spent && (likelyEnd === undefined || (s.next as string) > likelyEnd));
      }
    },
  };
}
