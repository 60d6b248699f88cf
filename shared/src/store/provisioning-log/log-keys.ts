import type { LogFilter, LogStatus, NewLogEvent, TaskAction } from '../../types/log-types.ts';
import { fnv1a32 } from '../id-buckets.ts';

/**
 * Each app's users share 256 index streams: a stream per user would cost Redis about 4.7 KB each (a new
 * stream preallocates a 4 KB listpack), more than the events of a typical user. Entries of a user bucket
 * carry a 16-bit fingerprint of the user id; the query script confirms a fingerprint match on the event.
 */
const USER_BUCKETS = 256;

export const userBucket = (userId: string): number => fnv1a32(userId) % USER_BUCKETS;
export const userFingerprint = (userId: string): number => (fnv1a32(userId) >>> 16) & 0xffff;

/**
 * One app's log keys, all hash-tagged `{<appId>}` like the app's other keys, so the lifecycle script that
 * writes an app's state and its log events touches one Redis Cluster slot.
 */
export interface AppLogKeys {
  /** Stream of the app's events (the only copy of their data); stream id = time order within the app. */
  events: string;
  /**
   * How many events the events stream holds (an entry may hold several, see log-codec.ts), for the
   * retention's count; kept by the append and trim scripts. Absent before the first append of this format.
   */
  count: string;
  /** The user bucket stream holding `userId`'s events (among others). */
  byUser(userId: string): string;
  byStatus(status: LogStatus): string;
  byAction(action: TaskAction): string;
}

/** Every Redis key of the log, under `<keyPrefix>:log:`. */
export interface LogKeys {
  /** Set of the app ids that have (or had) a log: what a query across apps merges. Not tagged. */
  apps: string;
  /** Pub/sub channel of the live tail. */
  channel: string;
  app(appId: string): AppLogKeys;
  /** The app whose events stream `key` is, or null when it is not one. */
  appOfEvents(key: string): string | null;
}

/** Beyond this many apps' keys remembered, they are made again from scratch. */
const KNOWN_APPS_MAX = 10_000;

export function logKeys(keyPrefix: string): LogKeys {
  const base = `${keyPrefix}:log`;
  const head = `${base}:{`;
  const tail = '}:events';
  const appKeys = (appId: string): AppLogKeys => {
    const app = `${base}:{${appId}}`;
    return {
      events: `${app}:events`,
      count: `${app}:count`,
      byUser: (userId) => `${app}:u:${userBucket(userId)}`,
      byStatus: (status) => `${app}:s:${status}`,
      byAction: (action) => `${app}:c:${action}`,
    };
  };
  // Every append works out its app's keys: the same few apps, so made once each (a bounded number).
  const known = new Map<string, AppLogKeys>();
  return {
    apps: `${base}:apps`,
    channel: `${base}:live`,
    app: (appId) => {
      let keys = known.get(appId);
      if (!keys) {
        keys = appKeys(appId);
        if (known.size >= KNOWN_APPS_MAX) known.clear();
        known.set(appId, keys);
      }
      return keys;
    },
    appOfEvents: (key) =>
      key.length >= head.length + tail.length && key.startsWith(head) && key.endsWith(tail)
        ? key.slice(head.length, key.length - tail.length)
        : null,
  };
}

/** The index streams an event is listed in: its user bucket, its status, its action (in that order). */
export function indexKeysOf(
  keys: AppLogKeys,
  event: Pick<NewLogEvent, 'userId' | 'action' | 'status'>,
): [user: string, status: string, action: string] {
  return [keys.byUser(event.userId), keys.byStatus(event.status), keys.byAction(event.action)];
}

/**
 * Index streams of one app that list every event matching `filter` (the rest of the filter is checked
 * on each event's code while paging). The query script reads the shortest one; none: the events stream.
 */
export function candidateIndexes(keys: AppLogKeys, filter: LogFilter): string[] {
  const candidates: string[] = [];
  if (filter.userId !== undefined) candidates.push(keys.byUser(filter.userId));
  if (filter.status) candidates.push(keys.byStatus(filter.status));
  if (filter.action) candidates.push(keys.byAction(filter.action));
  return candidates;
}
