import type { LogFilter, LogStatus, NewLogEvent, TaskAction } from '../../types/log-types.ts';

/**
 * Users share 1024 index streams: a stream per user would cost Redis about 4.7 KB each (a new stream
 * preallocates a 4 KB listpack), more than the events of a typical user. Entries of a user bucket carry
 * a 16-bit fingerprint of the user id; the query script confirms a fingerprint match on the event.
 */
const USER_BUCKETS = 1024;

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export const userBucket = (userId: string): number => fnv1a32(userId) % USER_BUCKETS;
export const userFingerprint = (userId: string): number => (fnv1a32(userId) >>> 16) & 0xffff;

/** Every Redis key of the log, under `<keyPrefix>:log:`. */
export interface LogKeys {
  /** Stream of all events (the only copy of their data); stream id = time order. */
  events: string;
  /** Hash appId -> small integer folded into index entries so an index can be filtered by app. */
  appCodes: string;
  appCodeSeq: string;
  /** Pub/sub channel of the live tail. */
  channel: string;
  byApp(appId: string): string;
  /** The user bucket stream holding `userId`'s events (among others). */
  byUser(userId: string): string;
  byStatus(status: LogStatus): string;
  byAction(action: TaskAction): string;
  byAppStatus(appId: string, status: LogStatus): string;
  byAppAction(appId: string, action: TaskAction): string;
}

export function logKeys(keyPrefix: string): LogKeys {
  const base = `${keyPrefix}:log`;
  return {
    events: `${base}:events`,
    appCodes: `${base}:app-codes`,
    appCodeSeq: `${base}:app-code-seq`,
    channel: `${base}:live`,
    byApp: (appId) => `${base}:i:a:${appId}`,
    byUser: (userId) => `${base}:i:u:${userBucket(userId)}`,
    byStatus: (status) => `${base}:i:s:${status}`,
    byAction: (action) => `${base}:i:c:${action}`,
    byAppStatus: (appId, status) => `${base}:i:as:${status}:${appId}`,
    byAppAction: (appId, action) => `${base}:i:ac:${action}:${appId}`,
  };
}

/** The index streams an event is added to (each entry: the event's stream id and a small code); the user bucket comes second. */
export function indexKeysOf(
  keys: LogKeys,
  event: Pick<NewLogEvent, 'appId' | 'userId' | 'action' | 'status'>,
): string[] {
  return [
    keys.byApp(event.appId),
    keys.byUser(event.userId),
    keys.byStatus(event.status),
    keys.byAction(event.action),
    keys.byAppStatus(event.appId, event.status),
    keys.byAppAction(event.appId, event.action),
  ];
}

/**
 * Index streams that hold every event matching `filter` (the rest of the filter is checked on each
 * entry's code while paging). The query script reads the shortest one; `events` when nothing narrows.
 */
export function candidateIndexes(keys: LogKeys, filter: LogFilter): string[] {
  const { appId, userId, action, status } = filter;
  if (userId !== undefined) return [keys.byUser(userId)];
  if (appId !== undefined) {
    const candidates = [keys.byApp(appId)];
    if (status) candidates.push(keys.byAppStatus(appId, status));
    if (action) candidates.push(keys.byAppAction(appId, action));
    return candidates;
  }
  const candidates: string[] = [];
  if (status) candidates.push(keys.byStatus(status));
  if (action) candidates.push(keys.byAction(action));
  return candidates.length > 0 ? candidates : [keys.events];
}
