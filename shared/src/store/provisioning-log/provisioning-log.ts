import type { Readable } from 'node:stream';
import { z } from 'zod';
import { FieldError } from '../../errors/field-error.ts';
import { firstIssue } from '../../errors/invalid-input.ts';
import type { RedisClient } from '../../redis/connection.ts';
import {
  LOG_STATUSES,
  type LogEvent,
  type LogFilter,
  type LogPage,
  type LogRetention,
  type NewLogEvent,
  TASK_ACTIONS,
} from '../../types/log-types.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import {
  actionCode,
  decodeEvent,
  encodeEvent,
  STREAM_ID,
  statusCode,
  streamIdMs,
  toEventId,
} from './log-codec.ts';
import { candidateIndexes, indexKeysOf, type LogKeys, logKeys, userFingerprint } from './log-keys.ts';
import { LiveTail } from './log-live.ts';
import { type EmailLookup, pagedEvents } from './log-paging.ts';
import { type LogScripts, logScripts } from './log-scripts.ts';
import { capMessage, scrubRequest, scrubResponse, scrubText } from './log-scrub.ts';

export type {
  LogEvent,
  LogFilter,
  LoggedRequest,
  LoggedResponse,
  LogPage,
  LogRetention,
  LogStatus,
  NewLogEvent,
  TaskAction,
} from '../../types/log-types.ts';
export { LOG_STATUSES, TASK_ACTIONS };

export const LOG_PAGE_MAX = 1000;
/** Events appended per script call; one appendMany sends all its chunks in one pipeline. */
const APPEND_CHUNK = 1000;
/** Index entries one page may examine by default when part of the filter is checked entry by entry. */
const SCAN_BUDGET = 20_000;
const EXPORT_PAGE = 1000;
const RETENTION_BATCH = 1000;

const id = z.string().min(1).max(256);
export const newLogEventSchema = z.object({
  appId: id,
  userId: id,
  taskId: id,
  action: z.enum(TASK_ACTIONS),
  status: z.enum(LOG_STATUSES),
  attempt: z.number().int().min(0).optional(),
  actor: z.string().max(256).optional(),
  message: z.string(),
  request: z
    .object({ method: z.string().min(1).max(16), url: z.string().max(8192), body: z.unknown().optional() })
    .optional(),
  response: z.object({ status: z.number().int().min(0).max(999), body: z.unknown().optional() }).optional(),
  durationMs: z.number().min(0).optional(),
});

function checkEvent(event: NewLogEvent): NewLogEvent {
  const parsed = newLogEventSchema.safeParse(event);
  if (parsed.success) return event;
  const { field, message } = firstIssue(parsed.error, ['event']);
  throw new FieldError(field, message);
}

/** The event as stored: request/response reduced to their allowed fields, secrets scrubbed. */
function sanitize(event: NewLogEvent): NewLogEvent {
  const { request, response, ...rest } = checkEvent(event);
  const clean: NewLogEvent = { ...rest, message: capMessage(scrubText(rest.message)) };
  if (request) clean.request = scrubRequest(request);
  if (response) clean.response = scrubResponse(response);
  return clean;
}

function timeBound(value: string | undefined, field: 'since' | 'until'): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new FieldError(field, 'must be an ISO 8601 date-time');
  return ms;
}

/** Numeric order of two stream ids (`ms-seq`). */
function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** The first stream id after `streamId`. */
function nextStreamId(streamId: string): string {
  const [ms = '0', seq = '0'] = streamId.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

/**
 * The provisioning log: append-only Redis streams. `events` holds each event once; index streams
 * (per app, user, status, action, app+status, app+action) hold the same stream ids with a small code,
 * so a filtered page reads only the shortest matching index, newest first, at any log size.
 */
export class ProvisioningLog {
  private readonly redis: RedisClient;
  private readonly keys: LogKeys;
  private readonly scripts: LogScripts;
  private readonly retention: LogRetention;
  private readonly live: LiveTail;
  private readonly scanBudget: number;

  /** `scanBudget` bounds the index entries one page examines; a page that runs out of it comes back short, with a cursor. */
  constructor(opts: { redis: RedisClient; keyPrefix: string; retention: LogRetention; scanBudget?: number }) {
    this.redis = opts.redis;
    this.keys = logKeys(opts.keyPrefix);
    this.scripts = logScripts(opts.redis);
    this.retention = opts.retention;
    this.live = new LiveTail(opts.redis, this.keys.channel);
    this.scanBudget = opts.scanBudget ?? SCAN_BUDGET;
  }

  async append(event: NewLogEvent): Promise<LogEvent> {
    const [stored] = await this.appendMany([event]);
    if (!stored) throw new Error('provisioning log: append returned no event');
    return stored;
  }

  /** All events in one round trip (a pipeline of script calls), in order. */
  async appendMany(events: NewLogEvent[]): Promise<LogEvent[]> {
    if (events.length === 0) return [];
    const clean = events.map(sanitize);
    const streamIds = await this.runAppends(this.appendChunks(clean));
    return clean.map((event, i) => {
      const streamId = streamIds[i] as string;
      return { id: toEventId(streamId), at: new Date(streamIdMs(streamId)).toISOString(), ...event };
    });
  }

  /**
   * The keys and arguments `append_log` (log-append.lua) takes for these events, all in one call, for a
   * script that appends them with its other writes (the lifecycle's transitions).
   */
  encodeForScript(events: NewLogEvent[]): { keys: string[]; args: (string | number)[] } {
    return this.encode(events.map(sanitize));
  }

  private appendChunks(clean: NewLogEvent[]): { keys: string[]; args: (string | number)[] }[] {
    const chunks: { keys: string[]; args: (string | number)[] }[] = [];
    for (let start = 0; start < clean.length; start += APPEND_CHUNK)
      chunks.push(this.encode(clean.slice(start, start + APPEND_CHUNK)));
    return chunks;
  }

  private encode(clean: NewLogEvent[]): { keys: string[]; args: (string | number)[] } {
    const keys = [this.keys.events, this.keys.appCodes, this.keys.appCodeSeq];
    const args: (string | number)[] = [this.keys.channel];
    for (const event of clean) {
      keys.push(...indexKeysOf(this.keys, event));
      const code = actionCode(event.action) * 10 + statusCode(event.status);
      args.push(event.appId, code, userFingerprint(event.userId), encodeEvent(event));
    }
    return { keys, args };
  }

  private async runAppends(chunks: { keys: string[]; args: (string | number)[] }[]): Promise<string[]> {
    const [only] = chunks;
    if (chunks.length === 1 && only) return this.scripts.append(only.keys, only.args);
    return (await this.scripts.appendMany(chunks)).flat();
  }

  /** Newest first; `nextCursor` is null once the match is exhausted (a page may be short when the scan budget runs out). */
  async query(filter: LogFilter, page: { limit: number; cursor?: string }): Promise<LogPage> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > LOG_PAGE_MAX)
      throw new FieldError('limit', `must be an integer from 1 to ${LOG_PAGE_MAX}`);
    const sinceMs = timeBound(filter.since, 'since');
    const untilMs = timeBound(filter.until, 'until');
    let high = untilMs === undefined ? '+' : `(${untilMs}-0`;
    if (page.cursor !== undefined) {
      const position = decodeCursor(page.cursor, STREAM_ID);
      if (!position) throw new FieldError('cursor', 'is not a cursor this log issued');
      if (untilMs === undefined || compareStreamIds(position, `${untilMs}-0`) < 0) high = `(${position}`;
    }
    const low = sinceMs === undefined ? '-' : `${sinceMs}-0`;
    const reply = await this.scripts.query(
      [this.keys.events, this.keys.appCodes, ...candidateIndexes(this.keys, filter)],
      [
        low,
        high,
        page.limit,
        this.scanBudget,
        filter.appId ?? '',
        filter.action ? actionCode(filter.action) : -1,
        filter.status ? statusCode(filter.status) : -1,
        filter.userId ?? '',
        filter.userId === undefined ? -1 : userFingerprint(filter.userId),
      ],
    );
    const [next = '', ...flat] = reply;
    const items: LogEvent[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      items.push(decodeEvent(flat[i] as string, flat[i + 1] as string));
    return { items, nextCursor: next ? encodeCursor(next) : null };
  }

  /**
   * The whole match, newest first, as an object stream of events read from Redis a page at a time as
   * the reader takes them (see `pagedEvents`). The first page is read before this resolves, so a store
   * that is down fails the call, not a stream already under way. With `emails`, each event of a user the directory
   * knows carries the user's email, looked up once per page.
   */
  async export(filter: LogFilter, emails?: EmailLookup): Promise<Readable> {
    const readPage = async (cursor?: string): Promise<LogPage> => {
      const page = await this.query(filter, { limit: EXPORT_PAGE, cursor });
      if (!emails) return page;
      const known = await emails([...new Set(page.items.map((event) => event.userId))]);
      return {
        ...page,
        items: page.items.map((event) => {
          const email = known.get(event.userId);
          return email === undefined ? event : { ...event, email };
        }),
      };
    };
    return pagedEvents(await readPage(), readPage, EXPORT_PAGE);
  }

  /** Calls `listener` for each event appended from now on (by any process) matching `filter`. */
  async subscribe(
    filter: { appId?: string },
    listener: (event: LogEvent) => void,
  ): Promise<() => Promise<void>> {
    return this.live.add((streamId, payload) => {
      const event = decodeEvent(streamId, payload);
      if (filter.appId === undefined || event.appId === filter.appId) listener(event);
    });
  }

  /** Removes events beyond `maxCount` and older than `maxAgeMs`, oldest first, in batches. */
  async applyRetention(now: Date = new Date()): Promise<number> {
    const cutoffMs = now.getTime() - this.retention.maxAgeMs;
    let removed = 0;
    for (;;) {
      const excess = (await this.redis.xlen(this.keys.events)) - this.retention.maxCount;
      const oldest = await this.redis.xrange(this.keys.events, '-', '+', 'COUNT', RETENTION_BATCH);
      const doomed = oldest.filter(([streamId], i) => i < excess || streamIdMs(streamId) < cutoffMs);
      const last = doomed.at(-1);
      if (!last) return removed;
      const indexKeys = new Set<string>();
      for (const [streamId, fields] of doomed) {
        for (const key of indexKeysOf(this.keys, decodeEvent(streamId, fields[1] ?? '[]')))
          indexKeys.add(key);
      }
      removed += await this.scripts.trim([this.keys.events, ...indexKeys], nextStreamId(last[0]));
      if (doomed.length < oldest.length) return removed;
    }
  }
}
