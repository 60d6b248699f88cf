import { once } from 'node:events';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import express from 'express';
import { createProvisioningLogRouter } from '../server/src/routes/provisioning-log/provisioning-log.router.ts';
import {
  LOG_STATUSES,
  type LogEvent,
  type LogFilter,
  type LogStatus,
  type NewLogEvent,
  ProvisioningLog,
  TASK_ACTIONS,
  type TaskAction,
} from '../shared/src/store/provisioning-log/provisioning-log.ts';
import { buildLogEvent } from '../test/log/log-event.factory.ts';
import { usedMemory } from './lib/redis-stats.ts';
import { withScratchRedis } from './lib/scratch-redis.ts';
import { timed } from './lib/stats.ts';
import { renderTable } from './lib/table.ts';

export interface LogBenchOptions {
  events: number;
  /** Timed reads per query kind. */
  samples?: number;
  apps?: number;
  users?: number;
  seed?: number;
}

export interface LatencyFigure {
  query: string;
  p50Ms: number;
  p95Ms: number;
  /** Mean items per page, to show the pages were not empty. */
  meanItems: number;
}

export interface LogBenchResult {
  events: number;
  apps: number;
  users: number;
  fillSeconds: number;
  fillEventsPerSecond: number;
  /** `used_memory` growth over the fill divided by the events (data and indexes). */
  redisBytesPerEvent: number;
  /** Length of one synthetic event as JSON, for scale. */
  eventJsonBytes: number;
  queries: LatencyFigure[];
  /** Over HTTP through the API's router; heap growth is the serving process's peak `used_heap_size` over its start. */
  exports: {
    format: 'csv' | 'ndjson';
    /** 'app-0' (one app's events) or 'whole log'. */
    what: string;
    events: number;
    megabytes: number;
    seconds: number;
    eventsPerSecond: number;
    maxHeapGrowthMb: number;
    /** Growth of the heap left after a full collection (null without --expose-gc). */
    maxLiveHeapGrowthMb: number | null;
  }[];
}

const FILL_BATCH = 10_000;
const ACTION_WEIGHTS: [TaskAction, number][] = [
  ['create', 30],
  ['update', 50],
  ['suspend', 8],
  ['reactivate', 5],
  ['delete', 7],
];
const STATUS_WEIGHTS: [LogStatus, number][] = [
  ['succeeded', 40],
  ['queued', 20],
  ['approved', 10],
  ['pending_approval', 10],
  ['failed', 5],
  ['retrying', 5],
  ['denied', 5],
  ['skipped', 5],
];

/** mulberry32: a seeded generator so runs are comparable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(random: () => number, table: [T, number][]): T {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  let pick = random() * total;
  for (const [value, weight] of table) {
    pick -= weight;
    if (pick < 0) return value;
  }
  return (table.at(-1) as [T, number])[0];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** A push step as the worker logs it, for one of `apps` apps and `users` users. */
const syntheticEvent = (random: () => number, apps: number, users: number): NewLogEvent =>
  buildLogEvent({
    appId: `app-${Math.floor(random() * apps)}`,
    userId: `user-${Math.floor(random() * users)}`,
    action: weighted(random, ACTION_WEIGHTS),
    status: weighted(random, STATUS_WEIGHTS),
  });

/** Fills the log (each batch spread over every app: one append call per app and batch); answers the oldest event's time. */
async function fill(log: ProvisioningLog, options: Required<LogBenchOptions>): Promise<number> {
  const random = seededRandom(options.seed);
  let inFlight: Promise<unknown> = Promise.resolve();
  let first: Promise<LogEvent[]> | undefined;
  for (let start = 0; start < options.events; start += FILL_BATCH) {
    const size = Math.min(FILL_BATCH, options.events - start);
    const batch = Array.from({ length: size }, () => syntheticEvent(random, options.apps, options.users));
    // Two batches in flight: the next one is encoded while Redis runs the previous one.
    const previous = inFlight;
    inFlight = log.appendMany(batch);
    first ??= inFlight as Promise<LogEvent[]>;
    await previous;
  }
  await inFlight;
  return Math.min(...((await first) ?? []).map((event) => Date.parse(event.at)));
}

async function measure(
  name: string,
  samples: number,
  read: (i: number) => Promise<{ items: unknown[] }>,
): Promise<LatencyFigure> {
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < samples; i++) {
    const { ms, value } = await timed(() => read(i));
    times.push(ms);
    items += value.items.length;
  }
  return {
    query: name,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    meanItems: items / samples,
  };
}

/** The 10th page of a match: the cursors are found first, then only the 10th reads are timed. */
async function measureTenthPages(
  name: string,
  log: ProvisioningLog,
  samples: number,
  anyFilter: () => LogFilter,
  limit: number,
): Promise<LatencyFigure> {
  const starts: { filter: LogFilter; cursor: string }[] = [];
  for (let i = 0; i < samples; i++) {
    const filter = anyFilter();
    let cursor: string | undefined;
    for (let p = 0; p < 9; p++) cursor = (await log.query(filter, { limit, cursor })).nextCursor ?? undefined;
    if (cursor) starts.push({ filter, cursor });
  }
  return measure(name, starts.length, (i) => {
    const start = starts[i] as { filter: LogFilter; cursor: string };
    return log.query(start.filter, { limit, cursor: start.cursor });
  });
}

/** Serves `/api/provisioning-log` with the API's own router, on loopback, from this process. */
async function serveLog(log: ProvisioningLog): Promise<{ base: string; close: () => Promise<void> }> {
  const app = express();
  app.use('/api/provisioning-log', createProvisioningLogRouter(log));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/provisioning-log`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Bytes received between two forced collections (with --expose-gc) that sample the live heap. */
const LIVE_SAMPLE_BYTES = 8 * 2 ** 20;

/**
 * One export over HTTP, read as fast as this process can. The router serves it from this process, so
 * the heap sampled on every chunk received is the serving process's (the reader keeps only a count;
 * the chunks are Buffers, outside the heap). The peak counts garbage not yet collected (up to V8's
 * young generation, about 48 MB at Node's defaults); with --expose-gc the start and every
 * LIVE_SAMPLE_BYTES received are sampled after a full collection too: what the export really holds.
 */
async function measureExport(base: string, format: 'csv' | 'ndjson', what: string, query: string) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapAtStart = getHeapStatistics().used_heap_size;
  let maxHeap = heapAtStart;
  let maxLiveHeap = heapAtStart;
  let nextLiveSample = LIVE_SAMPLE_BYTES;
  let lines = 0;
  let bytes = 0;
  const { ms } = await timed(
    () =>
      new Promise<void>((resolve, reject) => {
        get(`${base}/export?format=${format}&${query}`, (res) => {
          if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
            maxHeap = Math.max(maxHeap, getHeapStatistics().used_heap_size);
            if (gc && bytes >= nextLiveSample) {
              nextLiveSample += LIVE_SAMPLE_BYTES;
              gc();
              maxLiveHeap = Math.max(maxLiveHeap, getHeapStatistics().used_heap_size);
            }
          });
          res.on('end', resolve);
          res.on('error', reject);
        }).on('error', reject);
      }),
  );
  // A CSV row holds no raw newline (JSON strings escape them); its first line is the header.
  const events = format === 'csv' ? lines - 1 : lines;
  return {
    format,
    what,
    events,
    megabytes: bytes / 2 ** 20,
    seconds: ms / 1000,
    eventsPerSecond: events / (ms / 1000),
    maxHeapGrowthMb: (maxHeap - heapAtStart) / 2 ** 20,
    maxLiveHeapGrowthMb: gc ? (maxLiveHeap - heapAtStart) / 2 ** 20 : null,
  };
}

/** Fills a fresh embedded Redis with synthetic events and measures reads, export and memory. */
export async function runLogBench(options: LogBenchOptions): Promise<LogBenchResult> {
  const opts: Required<LogBenchOptions> = { samples: 200, apps: 20, users: 20_000, seed: 42, ...options };
  return withScratchRedis('log-bench', async (redis) => {
    // Persistence off: the figures are about the data structures, and a 1M-event AOF would only add disk I/O.
    await redis.config('SET', 'appendonly', 'no');
    const log = new ProvisioningLog({
      redis,
      keyPrefix: 'bench',
      retention: { maxCount: opts.events, maxAgeMs: 365 * 86_400_000 },
    });
    const memoryBefore = await usedMemory([redis]);
    const filled = await timed(() => fill(log, opts));
    const memoryAfter = await usedMemory([redis]);
    const spanStart = filled.value;

    const random = seededRandom(opts.seed + 1);
    const anyApp = () => `app-${Math.floor(random() * opts.apps)}`;
    const anyUser = () => `user-${Math.floor(random() * opts.users)}`;
    const anyStatus = () => LOG_STATUSES[Math.floor(random() * LOG_STATUSES.length)] as LogStatus;
    const anyAction = () => TASK_ACTIONS[Math.floor(random() * TASK_ACTIONS.length)] as TaskAction;
    const newest = (await log.query({}, { limit: 1 })).items[0];
    const spanEnd = Date.parse(newest?.at ?? new Date().toISOString());
    const page = { limit: 50 };

    const queries = [
      await measure('app+status, first page', opts.samples, () =>
        log.query({ appId: anyApp(), status: anyStatus() }, page),
      ),
      await measure('user, first page', opts.samples, () => log.query({ userId: anyUser() }, page)),
      await measure('app+user, first page', opts.samples, () =>
        log.query({ appId: anyApp(), userId: anyUser() }, page),
      ),
      await measure('status+action, first page', opts.samples, () =>
        log.query({ status: anyStatus(), action: anyAction() }, page),
      ),
      await measure('time window (10% of span), first page', opts.samples, () => {
        const since = spanStart + random() * (spanEnd - spanStart) * 0.9;
        const until = since + (spanEnd - spanStart) * 0.1;
        return log.query(
          { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
          page,
        );
      }),
      await measure('all apps, first page', opts.samples, () => log.query({}, page)),
      await measureTenthPages(
        'app, 10th page by cursor',
        log,
        opts.samples,
        () => ({ appId: anyApp() }),
        page.limit,
      ),
      await measureTenthPages('all apps, 10th page by cursor', log, opts.samples, () => ({}), page.limit),
    ];
    const served = await serveLog(log);
    const exports = [];
    try {
      for (const [what, query] of [
        ['app-0', 'appId=app-0'],
        ['whole log', ''],
      ] as const) {
        for (const format of ['ndjson', 'csv'] as const)
          exports.push(await measureExport(served.base, format, what, query));
      }
    } finally {
      await served.close();
    }
    return {
      events: opts.events,
      apps: opts.apps,
      users: opts.users,
      fillSeconds: filled.ms / 1000,
      fillEventsPerSecond: opts.events / (filled.ms / 1000),
      redisBytesPerEvent: (memoryAfter - memoryBefore) / opts.events,
      eventJsonBytes: JSON.stringify(syntheticEvent(seededRandom(1), opts.apps, opts.users)).length,
      queries,
      exports,
    };
  });
}

export function renderLogBench(result: LogBenchResult): string {
  return [
    `Provisioning log: ${result.events} events (${result.apps} apps, ${result.users} users), ` +
      `filled in ${result.fillSeconds.toFixed(1)} s (${Math.round(result.fillEventsPerSecond)} events/s), ` +
      `Redis ${Math.round(result.redisBytesPerEvent)} bytes/event (event JSON ${result.eventJsonBytes} bytes)`,
    '',
    renderTable(
      ['query (limit 50)', 'p50 ms', 'p95 ms', 'items/page'],
      result.queries.map((q) => [q.query, q.p50Ms, q.p95Ms, q.meanItems]),
    ),
    '',
    renderTable(
      [
        'export (HTTP)',
        'format',
        'events',
        'MB',
        'seconds',
        'events/s',
        'peak heap growth MB',
        'live heap growth MB',
      ],
      result.exports.map((e) => [
        e.what,
        e.format,
        e.events,
        e.megabytes,
        e.seconds,
        Math.round(e.eventsPerSecond),
        e.maxHeapGrowthMb,
        e.maxLiveHeapGrowthMb ?? '-',
      ]),
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { events: { type: 'string', default: '100000' }, samples: { type: 'string', default: '200' } },
  });
  const events = Number(values.events);
  const samples = Number(values.samples);
  if (!Number.isInteger(events) || events < 1000) throw new Error('--events must be an integer >= 1000');
  if (!Number.isInteger(samples) || samples < 1) throw new Error('--samples must be a positive integer');
  const result = await runLogBench({ events, samples });
  console.log(renderLogBench(result));
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
