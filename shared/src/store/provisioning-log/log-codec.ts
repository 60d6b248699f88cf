import {
  LOG_STATUSES,
  type LogEvent,
  type LoggedRequest,
  type LoggedResponse,
  type NewLogEvent,
  TASK_ACTIONS,
} from '../../types/log-types.ts';
import { compressText, decompressText } from './log-compact.ts';

/**
 * Each app's events live in the app's Redis stream, so an event's stream id (`<ms>-<seq>`) is its time
 * and its order within the app; two apps' streams can hand out the same stream id. The public id is
 * the stream id, both parts padded, then the app id: unique across apps, and ids sort as plain strings
 * in one order across apps (time, then sequence, then app). A log cursor holds the public id of the
 * last position a page looked at, so the next page starts just below it in that order.
 */
const EVENT_ID = /^(\d{13})-(\d{6,10})-([\s\S]{1,256})$/;
/** The longest cursor: an event id with a 256-character app id, in base64url. */
const CURSOR_MAX_CHARS = 400;

export function toEventId(streamId: string, appId: string): string {
  const [ms = '0', seq = '0'] = streamId.split('-');
  return `${ms.padStart(13, '0')}-${seq.padStart(6, '0')}-${appId}`;
}

export interface EventPosition {
  streamId: string;
  appId: string;
}

/** The stream id and app of a public event id, or null when it is not one. */
export function parseEventId(eventId: string): EventPosition | null {
  const match = EVENT_ID.exec(eventId);
  return match ? { streamId: `${Number(match[1])}-${Number(match[2])}`, appId: match[3] as string } : null;
}

export const encodeLogCursor = (eventId: string): string =>
  Buffer.from(eventId, 'utf8').toString('base64url');

/** The event id a cursor holds, or null when it is not one `encodeLogCursor` made. */
export function decodeLogCursor(cursor: string): string | null {
  if (cursor.length > CURSOR_MAX_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const eventId = Buffer.from(cursor, 'base64url').toString('utf8');
  return parseEventId(eventId) ? eventId : null;
}

export function streamIdMs(streamId: string): number {
  return Number(streamId.slice(0, streamId.indexOf('-')));
}

/** Numeric order of two stream ids (`ms-seq`). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** Newest first, by public id. */
export const newestFirst = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

export const actionCode = (action: string): number => TASK_ACTIONS.indexOf(action as never);
export const statusCode = (status: string): number => LOG_STATUSES.indexOf(status as never);

type Packed = [
  appId: string,
  userId: string,
  taskId: string,
  action: number,
  status: number,
  message: string,
  attempt?: number | null,
  actor?: string | null,
  request?: [method: string, url: string, body?: unknown] | null,
  response?: [status: number, body?: unknown] | null,
  durationMs?: number | null,
];

/** What the stored entry's fields (`u`, then `j` or `z`) hold of an event: `Packed` without its app and user. */
type PackedRest = Packed extends [string, string, ...infer Rest] ? Rest : never;

// A body of `undefined` is left out rather than turned into null by JSON.stringify.
const packRequest = ({ method, url, body }: LoggedRequest): NonNullable<Packed[8]> =>
  body === undefined ? [method, url] : [method, url, body];
const packResponse = ({ status, body }: LoggedResponse): NonNullable<Packed[9]> =>
  body === undefined ? [status] : [status, body];

/**
 * Only an event carrying a SCIM exchange (a request or a response: the bodies are where its bytes are)
 * is deflated; a lifecycle event (pending, approved, queued, an outcome) is a task id and a sentence,
 * which a zlib call, about 20 µs of CPU with the dictionary, would shrink by a few dozen bytes. A bulk
 * approval of 100,000 writes 200,000 of those.
 */
const carriesExchange = (event: NewLogEvent) => event.request !== undefined || event.response !== undefined;

/**
 * An event's stream entry: its fields as `XADD` takes them (after the id). The app is the stream's, so
 * it is not stored; the user id stays plain (`u`), for the query script to confirm a user filter; the
 * rest is a positional JSON array (no key names, optional tail dropped), deflated with the log's
 * dictionary as seven-bit text (`z`, see log-compact.ts) when it carries a SCIM exchange, else as it is
 * (`j`, the JSON itself).
 * Entries of the first per-app format hold the whole event as one JSON array in `e` (see `decodeEntry`).
 */
export function encodeEvent(event: NewLogEvent): [u: 'u', userId: string, kind: 'j' | 'z', rest: string] {
  const packed: PackedRest = [
    event.taskId,
    actionCode(event.action),
    statusCode(event.status),
    event.message,
    event.attempt ?? null,
    event.actor ?? null,
    event.request ? packRequest(event.request) : null,
    event.response ? packResponse(event.response) : null,
    event.durationMs ?? null,
  ];
  while (packed.length > 4 && packed[packed.length - 1] === null) packed.pop();
  const json = JSON.stringify(packed);
  return carriesExchange(event)
    ? ['u', event.userId, 'z', compressText(json)]
    : ['u', event.userId, 'j', json];
}

function unpack(streamId: string, [appId, userId, ...rest]: Packed): LogEvent {
  const [taskId, action, status, message, attempt, actor, request, response, durationMs] = rest;
  const event: LogEvent = {
    id: toEventId(streamId, appId),
    at: new Date(streamIdMs(streamId)).toISOString(),
    appId,
    userId,
    taskId,
    action: TASK_ACTIONS[action] ?? 'create',
    status: LOG_STATUSES[status] ?? 'skipped',
    message,
  };
  if (attempt != null) event.attempt = attempt;
  if (actor != null) event.actor = actor;
  if (request)
    event.request =
      request.length > 2
        ? { method: request[0], url: request[1], body: request[2] }
        : { method: request[0], url: request[1] };
  if (response)
    event.response =
      response.length > 1 ? { status: response[0], body: response[1] } : { status: response[0] };
  if (durationMs != null) event.durationMs = durationMs;
  return event;
}

/** The user id of an events stream entry, from its fields as Redis answers them, without decoding the rest. */
export const entryUserId = (fields: string[]): string =>
  fields[0] === 'e' ? (JSON.parse(fields[1] ?? '[]') as Packed)[1] : (fields[1] ?? '');

/**
 * The event of a stream entry of `appId`'s events stream, from its fields as Redis answers them: `u`, `j`
 * or `z` (see `encodeEvent`), or `e`, the whole event as JSON (events stored before compaction).
 */
export function decodeEntry(streamId: string, appId: string, fields: string[]): LogEvent {
  if (fields[0] === 'e') return unpack(streamId, JSON.parse(fields[1] ?? '[]') as Packed);
  const json = fields[2] === 'z' ? decompressText(fields[3] ?? '') : (fields[3] ?? '[]');
  return unpack(streamId, [appId, fields[1] ?? '', ...(JSON.parse(json) as PackedRest)]);
}
