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
 * Only an entry carrying a SCIM exchange (a request or a response: the bodies are where its bytes are)
 * is deflated; lifecycle events (pending, approved, queued, an outcome) are a task id and a sentence,
 * which a zlib call, about 20 µs of CPU with the dictionary, would shrink by a few dozen bytes. A bulk
 * approval of 100,000 writes 100,000 of those entries.
 */
const carriesExchange = (event: NewLogEvent) => event.request !== undefined || event.response !== undefined;

/**
 * Openings of the lifecycle's messages (lifecycle.ts, task-events.ts), stored in a plain entry as their
 * position. A stored-format contract: append only, never reorder.
 */
const PHRASES = [
  'Awaiting admin approval: ',
  'Approved by ',
  'Queued for push: ',
  'Queued without approval: ',
  'Denied by ',
  'Retry requested by ',
  'Not pushed: ',
  'Pushed to the target (',
  'Awaiting admin approval: create ',
  'Awaiting admin approval: update ',
  'Awaiting admin approval: suspend ',
  'Awaiting admin approval: reactivate ',
  'Awaiting admin approval: delete ',
];
/** The shortest end of a message worth taking from the message before it ('create ' and a name). */
const SHARED_TAIL_MIN = 8;

/**
 * A message as a plain entry stores it: a phrase's position and the rest, or the phrase's position and
 * how many characters of the previous event's message end it ('Approved by admin: create x.' then
 * 'Queued for push: create x.'); any other message as it is.
 */
type StoredMessage = string | [phrase: number, rest: string] | [phrase: number, sharedTail: number];

/** The position of the longest phrase `message` starts with, or -1. */
function phraseOf(message: string): number {
  let found = -1;
  PHRASES.forEach((opening, i) => {
    if (message.startsWith(opening) && (found < 0 || opening.length > (PHRASES[found] as string).length))
      found = i;
  });
  return found;
}

function storeMessage(message: string, previous: string | undefined): StoredMessage {
  const phrase = phraseOf(message);
  if (phrase < 0) return message;
  const rest = message.slice((PHRASES[phrase] as string).length);
  return previous !== undefined && rest.length >= SHARED_TAIL_MIN && previous.endsWith(rest)
    ? [phrase, rest.length]
    : [phrase, rest];
}

function loadMessage(stored: StoredMessage, previous: string): string {
  if (typeof stored === 'string') return stored;
  const [phrase, rest] = stored;
  return (PHRASES[phrase] ?? '') + (typeof rest === 'number' ? previous.slice(previous.length - rest) : rest);
}

/** An event of an entry as stored: `PackedRest`, its task 0 when it is the previous event's. */
function packEvent(event: NewLogEvent, previous: NewLogEvent | undefined, phrases: boolean): unknown[] {
  const packed: unknown[] = [
    previous !== undefined && event.taskId === previous.taskId ? 0 : event.taskId,
    actionCode(event.action),
    statusCode(event.status),
    phrases ? storeMessage(event.message, previous?.message) : event.message,
    event.attempt ?? null,
    event.actor ?? null,
    event.request ? packRequest(event.request) : null,
    event.response ? packResponse(event.response) : null,
    event.durationMs ?? null,
  ];
  while (packed.length > 4 && packed[packed.length - 1] === null) packed.pop();
  return packed;
}

/**
 * The stream entry of the events of one user that one atomic step appends (one event or several: a
 * task's approval and its queueing, a push's exchanges and its outcome), as `XADD` takes its fields
 * (after the id). The events take the entry's id and the ids after it (see log-append.lua). The app is
 * the stream's, so it is not stored; the user id stays plain (`u`), for the query script to confirm a
 * user filter; the rest (`g`) is the number of events, then `z` and their `packEvent` arrays as JSON (one event: its array alone)
 * deflated with the log's dictionary as seven-bit text (see log-compact.ts) when one carries a SCIM
 * exchange, else `j` and that JSON, messages stored as `storeMessage` does. One field layout for every
 * entry, so Redis stores the field names once per stream node.
 * Entries stored before: `u` and `j` or `z` (one event, see `decodeEntryEvents`), or `e`.
 */
export function encodeEntry(events: NewLogEvent[]): [u: 'u', userId: string, g: 'g', rest: string] {
  const [first] = events;
  if (!first) throw new Error('provisioning log: an entry holds at least one event');
  const deflate = events.some(carriesExchange);
  const packed = events.map((event, i) => packEvent(event, events[i - 1], !deflate));
  // One event: its array alone.
  const json = JSON.stringify(packed.length === 1 ? packed[0] : packed);
  return ['u', first.userId, 'g', `${events.length}${deflate ? `z${compressText(json)}` : `j${json}`}`];
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

/** How many events an events stream entry holds, from its fields, without decoding them. */
export const entryEventCount = (fields: string[]): number =>
  fields[2] === 'g' ? Number.parseInt(fields[3] ?? '1', 10) : 1;

/** The stream id `offset` after `streamId` in its millisecond: an entry's event at that position. */
export function offsetStreamId(streamId: string, offset: number): string {
  if (offset === 0) return streamId;
  const dash = streamId.indexOf('-');
  return `${streamId.slice(0, dash)}-${Number(streamId.slice(dash + 1)) + offset}`;
}

/**
 * The events of a stream entry of `appId`'s events stream whose id is `streamId`, from its fields as Redis
 * answers them: `u` and `g` (see `encodeEntry`); `u` and `j` or `z`, one event's `PackedRest` as
 * JSON or deflated; or `e`, one whole event as JSON (the first per-app format).
 */
export function decodeEntryEvents(streamId: string, appId: string, fields: string[]): LogEvent[] {
  if (fields[0] === 'e') return [unpack(streamId, JSON.parse(fields[1] ?? '[]') as Packed)];
  const userId = fields[1] ?? '';
  const rest = fields[3] ?? '';
  if (fields[2] !== 'g') {
    const json = fields[2] === 'z' ? decompressText(rest) : rest || '[]';
    return [unpack(streamId, [appId, userId, ...(JSON.parse(json) as PackedRest)])];
  }
  const count = entryEventCount(fields);
  const digits = String(count).length;
  const json = rest[digits] === 'z' ? decompressText(rest.slice(digits + 1)) : rest.slice(digits + 1);
  type Stored = [string | 0, number, number, StoredMessage, ...unknown[]];
  const parsed = JSON.parse(json) as Stored | Stored[];
  const stored = count === 1 ? [parsed as Stored] : (parsed as Stored[]);
  const events: LogEvent[] = [];
  for (const [i, [taskId, action, status, message, ...tail]] of stored.entries()) {
    const previous = events[i - 1];
    const packed = [
      appId,
      userId,
      taskId === 0 ? (previous?.taskId ?? '') : taskId,
      action,
      status,
      loadMessage(message, previous?.message ?? ''),
      ...tail,
    ] as Packed;
    events.push(unpack(offsetStreamId(streamId, i), packed));
  }
  return events;
}
