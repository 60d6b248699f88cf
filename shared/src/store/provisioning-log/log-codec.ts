import {
  LOG_STATUSES,
  type LogEvent,
  type LoggedRequest,
  type LoggedResponse,
  type NewLogEvent,
  TASK_ACTIONS,
} from '../../types/log-types.ts';

/**
 * Events live in Redis streams, so an event's stream id (`<ms>-<seq>`) is its time and its order.
 * The public id pads both parts so ids also sort as plain strings. A log cursor holds the stream id of
 * the last entry a page looked at, so the next page starts just below it.
 */
export const STREAM_ID = /^(\d{1,15})-(\d{1,10})$/;

export function toEventId(streamId: string): string {
  const [ms = '0', seq = '0'] = streamId.split('-');
  return `${ms.padStart(13, '0')}-${seq.padStart(6, '0')}`;
}

export function toStreamId(eventId: string): string | null {
  const match = STREAM_ID.exec(eventId);
  return match ? `${Number(match[1])}-${Number(match[2])}` : null;
}

export function streamIdMs(streamId: string): number {
  return Number(streamId.slice(0, streamId.indexOf('-')));
}

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

// A body of `undefined` is left out rather than turned into null by JSON.stringify.
const packRequest = ({ method, url, body }: LoggedRequest): NonNullable<Packed[8]> =>
  body === undefined ? [method, url] : [method, url, body];
const packResponse = ({ status, body }: LoggedResponse): NonNullable<Packed[9]> =>
  body === undefined ? [status] : [status, body];

/** A positional JSON array: no repeated key names, optional tail dropped (about a third smaller than an object). */
export function encodeEvent(event: NewLogEvent): string {
  const packed: Packed = [
    event.appId,
    event.userId,
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
  while (packed.length > 6 && packed[packed.length - 1] === null) packed.pop();
  return JSON.stringify(packed);
}

export function decodeEvent(streamId: string, payload: string): LogEvent {
  const [appId, userId, taskId, action, status, message, attempt, actor, request, response, durationMs] =
    JSON.parse(payload) as Packed;
  const event: LogEvent = {
    id: toEventId(streamId),
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
