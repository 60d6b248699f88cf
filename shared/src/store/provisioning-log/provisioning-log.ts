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
import { type AppendCall, appendCall } from './log-append-call.ts';
import {
  actionCode,
  compareStreamIds,
  decodeEntryEvents,
  decodeLogCursor,
  encodeLogCursor,
  entryEventCount,
  entryUserId,
  newestFirst,
  offsetStreamId,
  parseEventId,
  statusCode,
  streamIdMs,
  toEventId,
} from './log-codec.ts';
import { candidateIndexes, type LogKeys, logKeys, userFingerprint } from './log-keys.ts';
import { LiveTail } from './log-live.ts';
import { type AppRead, type AppReadRequest, type MergedPages, mergedPages } from './log-merge.ts';
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
/** Events of one app appended per script call; one appendMany sends all its calls in one pipeline. */
const APPEND_CHUNK = 1000;
/** Indexed events one app's read may examine by default when part of the filter is checked event by event. */
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
  const { request, response, ...rest } = event;
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

/**
 * The upper bound (a stream id, '(' for exclusive) of an app's read strictly below `below` in the public
 * id order and before `untilMs`. At the same stream id, ids order by app: this app's event there is
 * below the position when this app sorts before the position's.
 */
function upperBound(appId: string, below: string | undefined, untilMs: number | undefined): string {
  const until = untilMs === undefined ? '+' : `(${untilMs}-0`;
  const position = below === undefined ? null : parseEventId(below);
  if (!position || (untilMs !== undefined && compareStreamIds(position.streamId, `${untilMs}-0`) >= 0))
    return until;
  return appId < position.appId ? position.streamId : `(${position.streamId}`;
}

/**
 * An event as a read found it: its public id, its position in its stream entry and the entry's fields,
 * decoded (inflated) only once the event is on a page. A read across apps merges more events than its
 * page holds, by id.
 */
interface ReadEntry {
  id: string;
  streamId: string;
  appId: string;
  offset: number;
  fields: string[];
}

/** An event retention read: whether it is the last of its stream entry. */
interface HeldEvent extends ReadEntry {
  last: boolean;
}

/** An app's event count and its oldest events (`full`: as many entries as a batch reads). */
interface OldestBatch {
  length: number;
  full: boolean;
  oldest: HeldEvent[];
}

/** The stream id of the entry holding `event`. */
const entryStreamId = (event: ReadEntry): string => offsetStreamId(event.streamId, -event.offset);

/** The page's events, each entry decoded once however many of its events the page holds. */
function toLogPage({ items, next }: { items: ReadEntry[]; next: string | null }): LogPage {
  const decoded = new Map<string[], LogEvent[]>();
  const eventOf = (item: ReadEntry): LogEvent => {
    let events = decoded.get(item.fields);
    if (!events) {
      events = decodeEntryEvents(entryStreamId(item), item.appId, item.fields);
      decoded.set(item.fields, events);
    }
    return events[item.offset] as LogEvent;
  };
  return { items: items.map(eventOf), nextCursor: next === null ? null : encodeLogCursor(next) };
}

/** The first stream id after `streamId`. */
function nextStreamId(streamId: string): string {
  const [ms = '0', seq = '0'] = streamId.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

const stored = (streamId: string, event: NewLogEvent): LogEvent => ({
  id: toEventId(streamId, event.appId),
  at: new Date(streamIdMs(streamId)).toISOString(),
  ...event,
});

function byApp<T extends { appId: string }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.appId);
    if (group) group.push(item);
    else groups.set(item.appId, [item]);
  }
  return groups;
}

/** Positions of `items` grouped by app, in order, cut in runs of at most `size`. */
function runsByApp(items: NewLogEvent[], size: number): number[][] {
  const runs: number[][] = [];
  for (const group of byApp(items.map((item, i) => ({ appId: item.appId, i }))).values()) {
    const positions = group.map(({ i }) => i);
    for (let start = 0; start < positions.length; start += size)
      runs.push(positions.slice(start, start + size));
  }
  return runs;
}

/**
 * The provisioning log: append-only Redis streams, per app. An app's `events` stream holds each event
 * once; its index streams (user bucket, status, action) list each append call's events with a small
 * code, so a filtered page reads only the shortest matching index, newest first, at any log size.
 * A query across apps merges the apps' pages (the apps are a registry set, filled outside the append
 * scripts, which touch one app's keys only).
 */
export class ProvisioningLog {
  private readonly redis: RedisClient;
  private readonly keys: LogKeys;
  private readonly scripts: LogScripts;
  private readonly retention: LogRetention;
  private readonly live: LiveTail;
  private readonly scanBudget: number;

  /** `scanBudget` bounds the events one page examines per app; a page that runs out of it comes back short, with a cursor. */
  constructor(opts: { redis: RedisClient; keyPrefix: string; retention: LogRetention; scanBudget?: number }) {
    this.redis = opts.redis;
    this.keys = logKeys(opts.keyPrefix);
    this.scripts = logScripts(opts.redis);
    this.retention = opts.retention;
    this.live = new LiveTail(opts.redis, this.keys);
    this.scanBudget = opts.scanBudget ?? SCAN_BUDGET;
  }

  /** Lists the app among those a query across apps reads; called when the app is created. */
  async registerApp(appId: string): Promise<void> {
    await this.redis.sadd(this.keys.apps, appId);
  }

  async append(event: NewLogEvent): Promise<LogEvent> {
    const [first] = await this.appendMany([event]);
    if (!first) throw new Error('provisioning log: append returned no event');
    return first;
  }

  /**
   * All events in one round trip (one script call per app, pipelined, and the apps registered), in order,
   * each its own stream entry.
   */
  async appendMany(events: NewLogEvent[]): Promise<LogEvent[]> {
    if (events.length === 0) return [];
    const clean = events.map((event) => sanitize(checkEvent(event)));
    const runs = runsByApp(clean, APPEND_CHUNK);
    const calls = runs.map((run) =>
      appendCall(
        this.keys,
        run.map((i) => [clean[i] as NewLogEvent]),
      ),
    );
    const [, replies] = await Promise.all([
      this.redis.sadd(this.keys.apps, ...new Set(clean.map((event) => event.appId))),
      this.scripts.append(calls),
    ]);
    const out: LogEvent[] = new Array(clean.length);
    runs.forEach((run, r) => {
      run.forEach((i, k) => {
        out[i] = stored(replies[r]?.[k] as string, clean[i] as NewLogEvent);
      });
    });
    return out;
  }

  /**
   * The keys and arguments `append_log` (log-append.lua) takes for these steps' events, all of one app,
   * in one call, for a script that appends them with its other writes (the lifecycle's transitions, each
   * a step: its events of one user are one stream entry). The first key is the app's events stream; no
   * events, no keys. `stepArgs` tells how many arguments each step's events take, for the script to
   * leave out those of a step it refuses. The events are the lifecycle's own, built from typed values
   * (what came from outside was validated where it came in), so they are not validated again here: on a
   * push's write path that cost more than scrubbing them.
   */
  encodeForScript(steps: NewLogEvent[][]): AppendCall {
    return appendCall(
      this.keys,
      steps.map((events) => events.map(sanitize)),
    );
  }

  /** Newest first; `nextCursor` is null once the match is exhausted (a page may be short when the scan budget runs out). */
  async query(filter: LogFilter, page: { limit: number; cursor?: string }): Promise<LogPage> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > LOG_PAGE_MAX)
      throw new FieldError('limit', `must be an integer from 1 to ${LOG_PAGE_MAX}`);
    return toLogPage(await (await this.pages(filter, page.cursor)).page(page.limit));
  }

  /** The match's pages from `cursor` on: the filter's app, or every app of the registry merged. */
  private async pages(filter: LogFilter, cursor: string | undefined): Promise<MergedPages<ReadEntry>> {
    const sinceMs = timeBound(filter.since, 'since');
    const untilMs = timeBound(filter.until, 'until');
    const start = cursor === undefined ? undefined : decodeLogCursor(cursor);
    if (start === null) throw new FieldError('cursor', 'is not a cursor this log issued');
    const appIds = filter.appId !== undefined ? [filter.appId] : await this.redis.smembers(this.keys.apps);
    const low = sinceMs === undefined ? '-' : `${sinceMs}-0`;
    return mergedPages(appIds, start, (requests) => this.readApps(filter, low, untilMs, requests));
  }

  private async readApps(
    filter: LogFilter,
    low: string,
    untilMs: number | undefined,
    requests: AppReadRequest[],
  ): Promise<AppRead<ReadEntry>[]> {
    const calls = requests.map(({ appId, below, limit }) => {
      const app = this.keys.app(appId);
      return {
        keys: [app.events, ...candidateIndexes(app, filter)],
        args: [
          low,
          upperBound(appId, below, untilMs),
          limit,
          this.scanBudget,
          filter.action ? actionCode(filter.action) : -1,
          filter.status ? statusCode(filter.status) : -1,
          filter.userId ?? '',
          filter.userId === undefined ? -1 : userFingerprint(filter.userId),
        ],
      };
    });
    const replies = await this.scripts.query(calls);
    return replies.map((reply, r) => {
      const [next = '', ...flat] = reply;
      const { appId } = requests[r] as AppReadRequest;
      const items: ReadEntry[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) {
        const streamId = flat[i] as string;
        const offset = Number(flat[i + 1]);
        // An empty list: the previous event's entry.
        const listed = flat[i + 2] as string[];
        const fields = listed.length > 0 ? listed : (items.at(-1) as ReadEntry).fields;
        items.push({ id: toEventId(streamId, appId), streamId, appId, offset, fields });
      }
      return { items, next: next ? toEventId(next as string, appId) : null };
    });
  }

  /**
   * The whole match, newest first, as an object stream of events read from Redis a page at a time as
   * the reader takes them (see `pagedEvents`). The first page is read before this resolves, so a store
   * that is down fails the call, not a stream already under way. With `emails`, each event of a user the directory
   * knows carries the user's email, looked up once per page.
   */
  async export(filter: LogFilter, emails?: EmailLookup): Promise<Readable> {
    const pages = await this.pages(filter, undefined);
    // One merge for the whole export: what it read beyond a page waits for the next.
    const readPage = async (): Promise<LogPage> => {
      const page = toLogPage(await pages.page(EXPORT_PAGE));
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
    return this.live.add((appId, streamId, fields) => {
      if (filter.appId === undefined || appId === filter.appId)
        for (const event of decodeEntryEvents(streamId, appId, fields)) listener(event);
    });
  }

  /**
   * Removes the log's oldest events, across apps, beyond `maxCount` in all and older than `maxAgeMs`,
   * in batches: each app's oldest batch is read, and the merge of those is the log's oldest as far as
   * every app's batch reaches. A stream entry goes only with all its events (see `trim`), so the count
   * may keep up to an entry's other events (a push's few) beyond `maxCount`.
   */
  async applyRetention(now: Date = new Date()): Promise<number> {
    const cutoffMs = now.getTime() - this.retention.maxAgeMs;
    const appIds = await this.redis.smembers(this.keys.apps);
    // An app's oldest batch changes only when this pass trims it (appends are its newest events): each
    // is read once, and again only after a trim, not every app's on every round.
    const batches = new Map<string, OldestBatch>();
    let removed = 0;
    for (;;) {
      const unread = appIds.filter((appId) => !batches.has(appId));
      for (const [i, batch] of (await this.oldestBatches(unread)).entries())
        batches.set(unread[i] as string, batch);
      const held = [...batches.values()];
      const excess = held.reduce((sum, b) => sum + b.length, 0) - this.retention.maxCount;
      const reach = held
        .filter((b) => b.full)
        .map((b) => (b.oldest.at(-1) as HeldEvent).id)
        .reduce<string | undefined>((low, id) => (low === undefined || id < low ? id : low), undefined);
      const oldest = held
        .flatMap((b) => b.oldest)
        .filter((event) => reach === undefined || event.id <= reach)
        .sort((a, b) => newestFirst(b, a));
      const doomed = oldest.filter((event, i) => i < excess || streamIdMs(event.streamId) < cutoffMs);
      if (doomed.length === 0) return removed;
      const dropped = await this.trim(doomed);
      removed += dropped;
      for (const event of doomed) batches.delete(event.appId);
      if (dropped === 0 || doomed.length < oldest.length) return removed;
    }
  }

  /**
   * Each app's event count (its count key, or the entries of a stream stored before there was one) and
   * the events of its oldest RETENTION_BATCH entries (not decoded), in one round trip.
   */
  private async oldestBatches(appIds: string[]): Promise<OldestBatch[]> {
    const pipeline = this.redis.pipeline();
    for (const appId of appIds) {
      const { events, count } = this.keys.app(appId);
      pipeline.get(count).xlen(events).xrange(events, '-', '+', 'COUNT', RETENTION_BATCH);
    }
    const replies = (await pipeline.exec()) ?? [];
    return appIds.map((appId, a) => {
      const [countErr, count] = replies[a * 3] ?? [];
      const [lengthErr, length] = replies[a * 3 + 1] ?? [];
      const [rangeErr, range] = replies[a * 3 + 2] ?? [];
      const err = countErr ?? lengthErr ?? rangeErr;
      if (err) throw err;
      const entries = range as [string, string[]][];
      return {
        length: count == null ? (length as number) : Number(count),
        full: entries.length === RETENTION_BATCH,
        oldest: entries.flatMap(([entryId, fields]) => {
          const size = entryEventCount(fields);
          return Array.from({ length: size }, (_, offset) => {
            const streamId = offsetStreamId(entryId, offset);
            return {
              id: toEventId(streamId, appId),
              streamId,
              appId,
              offset,
              fields,
              last: offset === size - 1,
            };
          });
        }),
      };
    });
  }

  /**
   * Drops `doomed` (each app's oldest events) and their index entries, one script call per app: the
   * entries whose events are all doomed, the doomed events' user buckets (the user id is plain in an
   * entry, see `entryUserId`) and every status and action index of the app (a few, each trimmed below the
   * oldest event kept), so no event is inflated to be dropped.
   */
  private async trim(doomed: HeldEvent[]): Promise<number> {
    let removed = 0;
    for (const [appId, events] of byApp(doomed)) {
      const app = this.keys.app(appId);
      const indexKeys = new Set([
        ...events.map((event) => app.byUser(entryUserId(event.fields))),
        ...LOG_STATUSES.map(app.byStatus),
        ...TASK_ACTIONS.map(app.byAction),
      ]);
      const last = events.at(-1) as HeldEvent;
      const minId = last.last ? nextStreamId(last.streamId) : entryStreamId(last);
      removed += await this.scripts.trim([app.events, app.count, ...indexKeys], minId);
    }
    return removed;
  }
}
