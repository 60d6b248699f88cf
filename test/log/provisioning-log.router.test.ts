import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../server/src/routes/provisioning-log/log-export-format.ts';
import { createProvisioningLogRouter } from '../../server/src/routes/provisioning-log/provisioning-log.router.ts';
import { errorHandler } from '../../shared/src/http/error-handler.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { createRedis } from '../../shared/src/redis/connection.ts';
import { freeLoopbackPort } from '../../shared/src/redis/embedded-redis.ts';
import { type LogEvent, ProvisioningLog } from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { uniquePrefix } from '../support/redis.ts';
import { buildLogEvent } from './log-event.factory.ts';
import { createLogHarness, type LogHarness } from './log-harness.ts';

const newestFirst = (events: LogEvent[]) => [...events].sort((a, b) => (a.id < b.id ? 1 : -1));

describe('/api/provisioning-log over HTTP', () => {
  let h: LogHarness;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    h = await createLogHarness();
    const app = express();
    // The directory knows user 'u' only: the export's email column is empty for the others.
    const emails = async (ids: string[]) =>
      new Map(ids.filter((id) => id === 'u').map((id) => [id, 'u@example.test']));
    app.use('/api/provisioning-log', createProvisioningLogRouter(h.log, { heartbeatMs: 30, emails }));
    app.use(errorHandler(createLogger('test', 'silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/provisioning-log`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  const getJson = async (query: string) => {
    const res = await fetch(`${base}${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lists filtered events newest first and pages with the opaque cursor', async () => {
    const events = await h.log.appendMany(
      Array.from({ length: 12 }, (_, i) =>
        buildLogEvent({ appId: i % 3 ? 'app-a' : 'app-b', status: i % 2 ? 'failed' : 'succeeded' }),
      ),
    );
    const wanted = newestFirst(events.filter((e) => e.appId === 'app-a' && e.status === 'failed'));
    const seen: unknown[] = [];
    let query = '?appId=app-a&status=failed&limit=2';
    for (;;) {
      const { status, body } = await getJson(query);
      expect(status).toBe(200);
      seen.push(...(body.items as unknown[]));
      if (body.nextCursor === null) break;
      query = `?appId=app-a&status=failed&limit=2&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual(wanted);
    const { body } = await getJson('');
    expect(body).toEqual({ items: newestFirst(events), nextCursor: null });
  });

  it('pages the log by push: every push on exactly one page, whole, however its events interleave', async () => {
    // Five tasks of three users (user 'p' has two), their events interleaved as concurrent pushes write them.
    const order = ['a', 'b', 'a', 'c', 'b', 'd', 'a', 'c', 'e', 'b', 'd', 'a', 'e', 'c', 'd', 'e', 'a'];
    const userOf: Record<string, string> = { a: 'p', b: 'q', c: 'p', d: 'r', e: 'q' };
    const events = await h.log.appendMany(
      order.map((task, i) =>
        buildLogEvent({
          appId: 'app-push',
          userId: userOf[task] as string,
          taskId: `task-${task}`,
          status: i === 0 || i === 1 ? 'pending_approval' : 'queued',
        }),
      ),
    );
    for (const limit of [1, 2, 3]) {
      const rows: { taskId: string; steps: LogEvent[] }[] = [];
      let query = `?appId=app-push&limit=${limit}`;
      for (;;) {
        const { status, body } = await getJson(`/pushes${query}`);
        expect(status).toBe(200);
        const items = body.items as { taskId: string; steps: LogEvent[] }[];
        expect(items.length).toBeLessThanOrEqual(limit);
        rows.push(...items);
        if (body.nextCursor === null) break;
        query = `?appId=app-push&limit=${limit}&cursor=${body.nextCursor}`;
      }
      // One row per task, newest push first, each with all its events oldest first.
      expect(rows.map((row) => row.taskId)).toEqual(['task-a', 'task-e', 'task-d', 'task-c', 'task-b']);
      for (const row of rows)
        expect(row.steps).toEqual(events.filter((event) => event.taskId === row.taskId));
    }
    expect((await getJson('/pushes?cursor=bm90LWEtY3Vyc29y')).body).toMatchObject({
      error: { code: 'invalid_input' },
    });
  });

  it('pages by push through a bulk approval: 200 decisions first, their pushes later, each push once and whole', async () => {
    const TASKS = 200;
    const taskIds = Array.from(
      { length: TASKS },
      (_, i) => `4b3f6c1e-9a2d-4f8e-b7c5-${String(i).padStart(12, '0')}`,
    );
    const event = (i: number, status: LogEvent['status']) =>
      buildLogEvent({ appId: 'app-bulk', userId: `bulk-${i}`, taskId: taskIds[i] as string, status });
    const indexes = [...taskIds.keys()];
    const events = await h.log.appendMany([
      ...indexes.map((i) => event(i, 'pending_approval')),
      ...indexes.flatMap((i) => [event(i, 'approved'), event(i, 'queued')]),
      // Pushed eight at a time, as the workers do.
      ...indexes
        .filter((i) => i % 8 === 0)
        .flatMap((first) =>
          (['looked_up', 'succeeded'] as const).flatMap((status) =>
            indexes.slice(first, first + 8).map((i) => event(i, status)),
          ),
        ),
    ]);
    const rows: { taskId: string; steps: LogEvent[] }[] = [];
    let query = '?appId=app-bulk&limit=5';
    for (;;) {
      const { status, body } = await getJson(`/pushes${query}`);
      expect(status).toBe(200);
      rows.push(...(body.items as { taskId: string; steps: LogEvent[] }[]));
      if (body.nextCursor === null) break;
      query = `?appId=app-bulk&limit=5&cursor=${body.nextCursor}`;
    }
    expect(rows.map((row) => row.taskId)).toEqual([...new Set(newestFirst(events).map((e) => e.taskId))]);
    for (const row of rows) expect(row.steps).toEqual(events.filter((e) => e.taskId === row.taskId));
  });

  it('answers 400 naming the query field at fault', async () => {
    const cases: [string, string][] = [
      ['?status=done', 'query.status'],
      ['?action=rename', 'query.action'],
      ['?since=yesterday', 'query.since'],
      ['?until=2026-13-01T00:00:00Z', 'query.until'],
      ['?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'query.until'],
      ['?limit=0', 'query.limit'],
      ['?limit=1001', 'query.limit'],
      ['?limit=ten', 'query.limit'],
      ['?cursor=%24%24', 'query.cursor'],
      ['?appId=a&appId=b', 'query.appId'],
      ['/export?format=xml', 'query.format'],
      ['/export?status=done', 'query.status'],
      ['/stream?appId=', 'query.appId'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await getJson(query);
      expect({
        query,
        status,
        field: (body.error as { details?: { field?: string } })?.details?.field,
      }).toEqual({
        query,
        status: 400,
        field,
      });
      expect(body.error).toMatchObject({ code: 'invalid_input' });
    }
  });

  it('exports the whole match as CSV, page after page, with an attachment filename', async () => {
    const matching = await h.log.appendMany(
      Array.from({ length: 1205 }, (_, i) => buildLogEvent({ appId: 'app-csv', attempt: i })),
    );
    await h.log.appendMany([
      buildLogEvent({ appId: 'app-other' }),
      {
        appId: 'app-csv',
        userId: 'u',
        taskId: 't',
        action: 'delete',
        status: 'denied',
        actor: 'admin@example.com',
        message: 'Denied, "no"',
      },
    ]);
    const res = await fetch(`${base}/export?format=csv&appId=app-csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?provisioning-log-[\dTZ-]+\.csv"?$/,
    );
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const all = await h.log.query({ appId: 'app-csv' }, { limit: 1 });
    const denied = all.items[0] as LogEvent;
    expect(rows).toHaveLength(matching.length + 1);
    expect(Object.keys(rows[0] ?? {})).toEqual([...EXPORT_COLUMNS]);
    expect(rows[0]).toEqual({
      id: denied.id,
      at: denied.at,
      appId: 'app-csv',
      userId: 'u',
      email: 'u@example.test',
      taskId: 't',
      action: 'delete',
      status: 'denied',
      attempt: '',
      actor: 'admin@example.com',
      message: 'Denied, "no"',
      durationMs: '',
      request: '',
      response: '',
    });
    const expected = newestFirst(matching);
    rows.slice(1).forEach((row, i) => {
      const event = expected[i] as LogEvent;
      expect(row.id).toBe(event.id);
      expect(row.email).toBe('');
      expect(row.attempt).toBe(String(event.attempt));
      expect(JSON.parse(row.request ?? '')).toEqual(event.request);
      expect(JSON.parse(row.response ?? '')).toEqual(event.response);
    });
  });

  it('counts pushes (one per task) per outcome over the match', async () => {
    const step = { appId: 'app-sum', action: 'create' as const };
    await h.log.appendMany([
      buildLogEvent({ ...step, taskId: 'ok', userId: 'a', status: 'queued' }),
      buildLogEvent({ ...step, taskId: 'ok', userId: 'a', status: 'succeeded' }),
      buildLogEvent({ ...step, taskId: 'bad', userId: 'b', status: 'queued' }),
      buildLogEvent({ ...step, taskId: 'bad', userId: 'b', status: 'failed' }),
      buildLogEvent({ ...step, taskId: 'wait', userId: 'c', status: 'pending_approval' }),
      buildLogEvent({ appId: 'app-elsewhere', taskId: 'x', status: 'failed' }),
    ]);
    expect((await getJson('/summary?appId=app-sum')).body).toEqual({
      pushes: 3,
      outcomes: { succeeded: 1, failed: 1, pending_approval: 1 },
      scannedEvents: 5,
      complete: true,
    });
    expect((await getJson('/summary?appId=app-sum&userId=b')).body).toMatchObject({
      pushes: 1,
      outcomes: { failed: 1 },
    });
    expect((await getJson('/summary?since=yesterday')).status).toBe(400);
  });

  it('exports NDJSON that parses back to the events, and an empty CSV match as just the header', async () => {
    const events = await h.log.appendMany(
      Array.from({ length: 30 }, (_, i) => buildLogEvent({ userId: `u-${i % 4}` })),
    );
    const res = await fetch(`${base}/export?format=ndjson&userId=u-1`);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?provisioning-log-[\dTZ-]+\.ndjson"?$/,
    );
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      newestFirst(events.filter((e) => e.userId === 'u-1')),
    );

    const empty = await fetch(`${base}/export?format=csv&appId=nobody`);
    expect((await empty.text()).trim()).toBe(EXPORT_COLUMNS.join(','));
  });

  /** An SSE client over fetch, as the admin console's is. */
  async function openTail(query: string, headers: Record<string, string> = {}) {
    const abort = new AbortController();
    const res = await fetch(`${base}/stream${query}`, { signal: abort.signal, headers });
    const messages: EventSourceMessage[] = [];
    const comments: string[] = [];
    const parser = createParser({
      onEvent: (event) => messages.push(event),
      onComment: (comment) => comments.push(comment.trim()),
    });
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
        parser.feed(decoder.decode(chunk, { stream: true }));
    })().catch(() => undefined);
    const events = () => messages.map((message) => JSON.parse(message.data) as LogEvent);
    const close = async () => {
      abort.abort();
      await reading;
    };
    return { res, messages, comments, events, close };
  }

  it('answers a HEAD of the live tail at once (the hostile fuzz found it held the connection open forever)', async () => {
    const res = await fetch(`${base}/stream?appId=app-live`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('streams events appended after connecting, filtered by app, with heartbeats, and unsubscribes on disconnect', async () => {
    const channel = `${h.prefix}:log:live`;
    const tail = await openTail('?appId=app-live');
    expect(tail.res.status).toBe(200);
    expect(tail.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await expect.poll(() => tail.comments.length).toBeGreaterThan(1);
    expect(tail.comments).toContain('heartbeat');

    const appended = await h.log.appendMany([
      buildLogEvent({ appId: 'app-live', status: 'queued' }),
      buildLogEvent({ appId: 'app-elsewhere' }),
      buildLogEvent({ appId: 'app-live', status: 'succeeded' }),
    ]);
    const expected = appended.filter((event) => event.appId === 'app-live');
    await expect.poll(() => tail.messages.length).toBe(expected.length);
    expect(tail.events()).toEqual(expected);
    expect(tail.messages.map((message) => message.id)).toEqual(expected.map((event) => event.id));

    expect(await h.redis.pubsub('NUMSUB', channel)).toEqual([channel, 1]);
    await tail.close();
    await expect.poll(async () => h.redis.pubsub('NUMSUB', channel)).toEqual([channel, 0]);
  });

  it('replays what a client missed when it reconnects with Last-Event-ID, then goes on live', async () => {
    const channel = `${h.prefix}:log:live`;
    const first = await openTail('?appId=app-live');
    const [seen] = await h.log.appendMany([buildLogEvent({ appId: 'app-live' })]);
    await expect.poll(() => first.messages.length).toBe(1);
    await first.close();
    await expect.poll(async () => h.redis.pubsub('NUMSUB', channel)).toEqual([channel, 0]);

    const missed = await h.log.appendMany([
      buildLogEvent({ appId: 'app-live' }),
      buildLogEvent({ appId: 'app-other' }),
      buildLogEvent({ appId: 'app-live' }),
    ]);
    const again = await openTail('?appId=app-live', { 'Last-Event-ID': first.messages[0]?.id ?? '' });
    await expect.poll(() => again.messages.length).toBe(2);
    const [later] = await h.log.appendMany([buildLogEvent({ appId: 'app-live' })]);
    await expect.poll(() => again.messages.length).toBe(3);
    expect(again.events()).toEqual([...missed.filter((event) => event.appId === 'app-live'), later]);
    expect(first.events()).toEqual([seen]);
    await again.close();

    const stranger = await openTail('', { 'Last-Event-ID': 'not-one-of-ours' });
    await expect.poll(() => stranger.comments.length).toBeGreaterThan(0);
    const [fresh] = await h.log.appendMany([buildLogEvent({ appId: 'app-any' })]);
    await expect.poll(() => stranger.messages.length).toBe(1);
    expect(stranger.events()).toEqual([fresh]);
    await stranger.close();
  });

  it('survives a client that leaves in the middle of an export', async () => {
    await h.log.appendMany(Array.from({ length: 2500 }, () => buildLogEvent({ appId: 'app-big' })));
    const abort = new AbortController();
    const res = await fetch(`${base}/export?format=ndjson&appId=app-big`, { signal: abort.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);
    const { status, body } = await getJson('?appId=app-big&limit=1');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(1);
  });
});

describe('/api/provisioning-log while Redis is away', () => {
  it('answers 503 store_unavailable for the list, the export and the live tail', async () => {
    const port = await freeLoopbackPort();
    const redis = createRedis(`redis://127.0.0.1:${port}`, 'api');
    redis.on('error', () => {});
    const log = new ProvisioningLog({
      redis,
      keyPrefix: uniquePrefix('log-down'),
      retention: { maxCount: 10, maxAgeMs: 1000 },
    });
    const app = express();
    app.use('/api/provisioning-log', createProvisioningLogRouter(log));
    app.use(errorHandler(createLogger('test', 'silent')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/provisioning-log`;
    try {
      for (const path of ['', '/export?format=csv', '/stream']) {
        const res = await fetch(`${url}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 503 });
        expect(await res.json()).toMatchObject({ error: { code: 'store_unavailable' } });
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      redis.disconnect();
    }
  });
});
