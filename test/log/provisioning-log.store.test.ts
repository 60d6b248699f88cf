import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldError } from '../../shared/src/errors/field-error.ts';
import { toAppError } from '../../shared/src/http/error-handler.ts';
import { userBucket } from '../../shared/src/store/provisioning-log/log-keys.ts';
import { scheduleLogRetention } from '../../shared/src/store/provisioning-log/log-retention.ts';
import { BODY_MAX_CHARS, MESSAGE_MAX_CHARS } from '../../shared/src/store/provisioning-log/log-scrub.ts';
import {
  LOG_STATUSES,
  type LogEvent,
  type LogFilter,
  ProvisioningLog,
  TASK_ACTIONS,
} from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { untilClockPasses } from '../support/clock.ts';
import { buildLogEvent } from './log-event.factory.ts';
import { createLogHarness, type LogHarness } from './log-harness.ts';

const newestFirst = (events: LogEvent[]) => [...events].sort((a, b) => (a.id < b.id ? 1 : -1));

function matches(event: LogEvent, filter: LogFilter): boolean {
  return (
    (filter.appId === undefined || event.appId === filter.appId) &&
    (filter.userId === undefined || event.userId === filter.userId) &&
    (filter.action === undefined || event.action === filter.action) &&
    (filter.status === undefined || event.status === filter.status) &&
    (filter.since === undefined || event.at >= filter.since) &&
    (filter.until === undefined || event.at < filter.until)
  );
}

/** Every page of a query; fails on a duplicate. */
async function readAll(log: ProvisioningLog, filter: LogFilter, limit: number): Promise<LogEvent[]> {
  const seen: LogEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await log.query(filter, { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect(new Set(seen.map((event) => event.id)).size).toBe(seen.length);
  return seen;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two user ids that land in the same user index bucket. */
function usersSharingABucket(): [string, string] {
  const first = 'bucket-mate-0';
  for (let i = 1; ; i++) {
    const candidate = `bucket-mate-${i}`;
    if (userBucket(candidate) === userBucket(first)) return [first, candidate];
  }
}

describe('ProvisioningLog store', () => {
  let h: LogHarness;
  beforeEach(async () => {
    h = await createLogHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('appends events with time-ordered ids and lists them newest first, as stored', async () => {
    const first = await h.log.append(buildLogEvent({ message: 'first' }));
    const rest = await h.log.appendMany([
      buildLogEvent({ message: 'second' }),
      buildLogEvent({ message: 'third' }),
    ]);
    const appended = [first, ...rest];
    expect(appended.map((event) => event.id)).toEqual([...appended.map((event) => event.id)].sort());
    for (const event of appended) expect(Date.parse(event.at)).not.toBeNaN();
    expect((appended[2]?.at ?? '') >= (appended[0]?.at ?? '')).toBe(true);

    const page = await h.log.query({}, { limit: 50 });
    expect(page).toEqual({ items: [...appended].reverse(), nextCursor: null });
    expect(page.items[2]).toMatchObject({
      message: 'first',
      action: 'create',
      status: 'succeeded',
      attempt: 1,
    });
  });

  it('gives concurrent writers on separate connections unique ids in one time order', async () => {
    const other = await createLogHarness();
    try {
      const second = new ProvisioningLog({
        redis: other.redis,
        keyPrefix: h.prefix,
        retention: { maxCount: 1e6, maxAgeMs: 1e12 },
      });
      const writes = await Promise.all(
        Array.from({ length: 6 }, (_, w) =>
          (w % 2 ? second : h.log).appendMany(
            Array.from({ length: 40 }, () => buildLogEvent({ appId: `app-${w % 3}` })),
          ),
        ),
      );
      const all = writes.flat();
      expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
      for (const batch of writes)
        expect(batch.map((event) => event.id)).toEqual(batch.map((event) => event.id).sort());
      expect(await readAll(h.log, {}, 100)).toEqual(newestFirst(all));
      expect(await readAll(second, { appId: 'app-1' }, 7)).toEqual(
        newestFirst(all.filter((e) => e.appId === 'app-1')),
      );
    } finally {
      await other.close();
    }
  });

  it('keeps optional fields optional and bodies exactly as given', async () => {
    const bare = await h.log.append({
      appId: 'a',
      userId: 'u',
      taskId: 't',
      action: 'delete',
      status: 'queued',
      message: 'm',
    });
    const withoutBodies = await h.log.append({
      ...buildLogEvent(),
      request: { method: 'DELETE', url: 'http://t/Users/1' },
      response: { status: 204 },
    });
    const { items } = await h.log.query({}, { limit: 10 });
    expect(items).toEqual([withoutBodies, bare]);
    expect(Object.keys(items[1] ?? {}).sort()).toEqual([
      'action',
      'appId',
      'at',
      'id',
      'message',
      'status',
      'taskId',
      'userId',
    ]);
    expect(items[0]?.request).toEqual({ method: 'DELETE', url: 'http://t/Users/1' });
  });

  it('answers every combination of app, user, action and status filters, paged, like a full scan would', async () => {
    const [mateA, mateB] = usersSharingABucket();
    const users = [mateA, mateB, 'u-1', 'u-2', 'u-3'];
    const apps = ['app-a', 'app-b', 'app-c'];
    const all = await h.log.appendMany(
      Array.from({ length: 180 }, (_, i) =>
        buildLogEvent({
          appId: apps[i % 3],
          userId: users[Math.floor(i / 3) % 5],
          action: TASK_ACTIONS[Math.floor(i / 15) % 5],
          status: LOG_STATUSES[(i * 7 + Math.floor(i / 75)) % 8],
        }),
      ),
    );
    const filterArb = fc.record(
      {
        appId: fc.constantFrom(...apps, 'app-none'),
        userId: fc.constantFrom(...users, 'u-none'),
        action: fc.constantFrom(...TASK_ACTIONS),
        status: fc.constantFrom(...LOG_STATUSES),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filterArb, fc.integer({ min: 1, max: 40 }), async (filter, limit) => {
        const got = await readAll(h.log, filter, limit);
        expect(got).toEqual(newestFirst(all.filter((event) => matches(event, filter))));
      }),
      { numRuns: 60 },
    );
  });

  it('tells apart users that share an index bucket', async () => {
    const [mateA, mateB] = usersSharingABucket();
    await h.log.appendMany([
      buildLogEvent({ userId: mateA }),
      buildLogEvent({ userId: mateB }),
      buildLogEvent({ userId: mateA }),
    ]);
    const { items } = await h.log.query({ userId: mateA }, { limit: 10 });
    expect(items.map((event) => event.userId)).toEqual([mateA, mateA]);
  });

  it('filters by time window (since inclusive, until exclusive), alone and with other filters', async () => {
    const batches: LogEvent[][] = [];
    for (let b = 0; b < 4; b++) {
      if (b > 0) await pause(5);
      batches.push(
        await h.log.appendMany(
          Array.from({ length: 6 }, (_, i) => buildLogEvent({ appId: i % 2 ? 'app-odd' : 'app-even' })),
        ),
      );
    }
    const all = batches.flat();
    const since = batches[1]?.[0]?.at as string;
    const until = batches[3]?.[0]?.at as string;
    for (const filter of [
      { since },
      { until },
      { since, until },
      { since, until, appId: 'app-odd' },
    ] as LogFilter[]) {
      const expected = newestFirst(all.filter((event) => matches(event, filter)));
      expect(expected.length).toBeGreaterThan(0);
      expect(await readAll(h.log, filter, 4)).toEqual(expected);
    }
    expect(await h.log.query({ since: until, until: since }, { limit: 10 })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('pages without duplicates or gaps while new events arrive between pages', async () => {
    const before = await h.log.appendMany(
      Array.from({ length: 23 }, () => buildLogEvent({ appId: 'app-p' })),
    );
    const seen: LogEvent[] = [];
    let page = await h.log.query({ appId: 'app-p' }, { limit: 5 });
    seen.push(...page.items);
    while (page.nextCursor) {
      await h.log.appendMany([buildLogEvent({ appId: 'app-p' }), buildLogEvent({ appId: 'app-q' })]);
      page = await h.log.query({ appId: 'app-p' }, { limit: 5, cursor: page.nextCursor });
      seen.push(...page.items);
    }
    expect(seen).toEqual(newestFirst(before));
  });

  it('rejects a bad cursor, limit or time, naming the field (the API answers it as a 400)', async () => {
    const attempts: [string, () => Promise<unknown>][] = [
      ['cursor', () => h.log.query({}, { limit: 5, cursor: 'not-a-cursor!' })],
      ['cursor', () => h.log.query({}, { limit: 5, cursor: Buffer.from('12-x').toString('base64url') })],
      ['limit', () => h.log.query({}, { limit: 0 })],
      ['limit', () => h.log.query({}, { limit: 1001 })],
      ['since', () => h.log.query({ since: 'yesterday' }, { limit: 5 })],
    ];
    for (const [field, attempt] of attempts) {
      const error = await attempt().catch((err: unknown) => err);
      expect(error).toBeInstanceOf(FieldError);
      expect(error).toMatchObject({ field });
      expect(toAppError(error)).toMatchObject({ status: 400, code: 'invalid_input', details: { field } });
    }
  });

  it('refuses an event with an unknown status, naming the field', async () => {
    const error = await h.log.append(buildLogEvent({ status: 'done' as never })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FieldError);
    expect(toAppError(error)).toMatchObject({ status: 400, details: { field: 'event.status' } });
    expect(await h.log.query({}, { limit: 5 })).toEqual({ items: [], nextCursor: null });
  });

  it('scrubs secrets and headers from requests and responses before storing them', async () => {
    const secret = 'sk-live-very-secret-value';
    const requestBody = {
      userName: 'a',
      password: secret,
      nested: [{ Authorization: `Bearer ${secret}` }],
      scimBearerToken: secret,
    };
    const sent = structuredClone(requestBody);
    const stored = await h.log.append(
      buildLogEvent({
        request: {
          method: 'POST',
          url: `http://t/scim/v2/Users?access_token=${secret}&count=1`,
          body: requestBody,
          headers: { authorization: `Bearer ${secret}` },
        } as never,
        response: {
          status: 401,
          body: { token: secret, bearer_token: secret, detail: `rejected Authorization: Bearer ${secret}` },
          headers: { 'set-cookie': secret },
        } as never,
        message: `Target answered 401 to Bearer ${secret}`,
      }),
    );
    const { items } = await h.log.query({}, { limit: 1 });
    expect(items).toEqual([stored]);
    expect(stored.request).toEqual({
      method: 'POST',
      url: 'http://t/scim/v2/Users?access_token=%5Bredacted%5D&count=1',
      body: {
        userName: 'a',
        password: '[redacted]',
        nested: [{ Authorization: '[redacted]' }],
        scimBearerToken: '[redacted]',
      },
    });
    expect(stored.response).toEqual({
      status: 401,
      body: {
        token: '[redacted]',
        bearer_token: '[redacted]',
        detail: 'rejected Authorization: Bearer [redacted]',
      },
    });
    expect(stored.message).toBe('Target answered 401 to Bearer [redacted]');
    const raw = JSON.stringify(await h.redis.xrange(`${h.prefix}:log:{app-1}:events`, '-', '+'));
    expect(raw).not.toContain(secret);
    // The stored copy is scrubbed; the caller's own body is left as it was.
    expect(requestBody).toEqual(sent);
  });
});

describe('ProvisioningLog size limits', () => {
  let h: LogHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('cuts an oversized message and replaces an oversized body with a scrubbed preview', async () => {
    h = await createLogHarness();
    const page = `<html>${'x'.repeat(MESSAGE_MAX_CHARS * 2)}</html>`;
    const huge = {
      password: 'hunter2',
      rows: Array.from({ length: 2000 }, (_, i) => ({ i, name: `row ${i}` })),
    };
    const stored = await h.log.append(
      buildLogEvent({ message: page, response: { status: 500, body: huge } }),
    );
    expect(stored.message).toHaveLength(MESSAGE_MAX_CHARS);
    expect(stored.message.startsWith('<html>xxx')).toBe(true);
    const body = stored.response?.body as { truncated: boolean; chars: number; preview: string };
    expect(body.truncated).toBe(true);
    expect(body.chars).toBeGreaterThan(BODY_MAX_CHARS);
    expect(body.preview.startsWith('{"password":"[redacted]","rows":[{"i":0')).toBe(true);
    expect((await h.log.query({}, { limit: 1 })).items).toEqual([stored]);
  });
});

describe('ProvisioningLog bounded pages', () => {
  let h: LogHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('returns a short page with a cursor when the scan budget runs out, and still finds every match', async () => {
    h = await createLogHarness(undefined, 10);
    // status=failed is the shorter index (60 < 70); one failed event in 15 is a delete.
    const failed = await h.log.appendMany(
      Array.from({ length: 60 }, (_, i) =>
        buildLogEvent({ status: 'failed', action: i % 15 === 0 ? 'delete' : 'update' }),
      ),
    );
    await h.log.appendMany(
      Array.from({ length: 70 }, () => buildLogEvent({ status: 'succeeded', action: 'delete' })),
    );
    const filter: LogFilter = { status: 'failed', action: 'delete' };
    const first = await h.log.query(filter, { limit: 50 });
    expect(first.items.length).toBeLessThan(4);
    expect(first.nextCursor).not.toBeNull();
    expect(await readAll(h.log, filter, 50)).toEqual(
      newestFirst(failed.filter((e) => e.action === 'delete')),
    );
  });
});

describe('ProvisioningLog retention', () => {
  let h: LogHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('keeps the newest maxCount events and drops the index entries of the rest', async () => {
    h = await createLogHarness({ maxCount: 10, maxAgeMs: 365 * 86_400_000 });
    const old = await h.log.appendMany(
      Array.from({ length: 15 }, () => buildLogEvent({ appId: 'app-old', userId: 'u-old' })),
    );
    // Each app's stream numbers its own events within a millisecond, so two apps' events of one
    // millisecond have no order between them: the recent ones start in a later one.
    const oldLastMs = Date.parse((old.at(-1) as LogEvent).at);
    await untilClockPasses(oldLastMs);
    const recent = await h.log.appendMany(
      Array.from({ length: 10 }, (_, i) =>
        buildLogEvent({ appId: 'app-new', status: i % 2 ? 'failed' : 'succeeded' }),
      ),
    );
    expect(await h.log.applyRetention()).toBe(old.length);
    expect(await readAll(h.log, {}, 7)).toEqual(newestFirst(recent));
    expect(await h.log.query({ appId: 'app-old' }, { limit: 50 })).toEqual({ items: [], nextCursor: null });
    expect(await readAll(h.log, { status: 'failed' }, 50)).toEqual(
      newestFirst(recent.filter((e) => e.status === 'failed')),
    );
    // The emptied events stream stays (its last id keeps the app's next ids rising); its indexes go.
    const keys = await h.keys();
    expect(keys.filter((key) => key.includes('app-old'))).toEqual([`${h.prefix}:log:{app-old}:events`]);
    expect(await h.redis.xlen(`${h.prefix}:log:{app-old}:events`)).toBe(0);
    expect(await h.redis.xlen(`${h.prefix}:log:{app-new}:s:succeeded`)).toBe(1);
    expect(await h.log.applyRetention()).toBe(0);
  });

  it('drops events older than maxAgeMs at the given time, in batches', async () => {
    const maxAgeMs = 60_000;
    h = await createLogHarness({ maxCount: 1_000_000, maxAgeMs });
    const old = await h.log.appendMany(
      Array.from({ length: 2300 }, (_, i) => buildLogEvent({ userId: `u-${i % 40}` })),
    );
    await pause(5);
    const young = await h.log.appendMany(
      Array.from({ length: 20 }, (_, i) => buildLogEvent({ userId: `u-${i % 40}` })),
    );
    const firstYoung = young[0] as LogEvent;
    const now = new Date(Date.parse(firstYoung.at) + maxAgeMs);
    expect(await h.log.applyRetention(now)).toBe(old.length);
    expect(await readAll(h.log, {}, 1000)).toEqual(newestFirst(young));
    expect(await readAll(h.log, { userId: 'u-3' }, 50)).toEqual(
      newestFirst(young.filter((e) => e.userId === 'u-3')),
    );
    expect(await h.log.applyRetention(now)).toBe(0);
  });

  it("reads an app's oldest batch again only after trimming it, however many rounds the pass takes", async () => {
    h = await createLogHarness({ maxCount: 60, maxAgeMs: 365 * 86_400_000 });
    const log = h.log;
    const small = Array.from({ length: 20 }, (_, i) => `app-small-${i}`);
    for (const appId of small) await log.appendMany([buildLogEvent({ appId }), buildLogEvent({ appId })]);
    // One entry per event: 3,000 entries of one app, three batches' worth, so the pass takes several rounds.
    const big = await log.appendMany(Array.from({ length: 3000 }, () => buildLogEvent({ appId: 'app-big' })));
    const monitor = await h.redis.monitor();
    const ranges: string[] = [];
    // The batches' reads are the log's own; the trim script's commands come from 'lua'.
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const ours = String(args[1]).startsWith(`${h?.prefix}:`) && source !== 'lua';
      if (ours && String(args[0]).toLowerCase() === 'xrange') ranges.push(String(args[1]));
    });
    try {
      // The 40 events of the small apps are the oldest: they go first, then the big app's down to 60 kept.
      expect(await log.applyRetention()).toBe(40 + big.length - 60);
      await h.redis.ping();
      await expect.poll(() => ranges.length > 0).toBe(true);
    } finally {
      monitor.disconnect();
    }
    expect(await readAll(log, {}, 100)).toEqual(newestFirst(big.slice(-60)));
    const readsOf = (appId: string) => ranges.filter((key) => key.includes(`{${appId}}`)).length;
    expect(readsOf('app-big')).toBeGreaterThanOrEqual(3);
    // Before their trim and once after it (emptied), whatever the rounds the big app took.
    for (const appId of small) expect(readsOf(appId)).toBe(2);
  });
});

describe('ProvisioningLog live tail', () => {
  let h: LogHarness;
  beforeEach(async () => {
    h = await createLogHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('delivers events appended after subscribing, filtered by app, over one shared subscriber connection', async () => {
    const channel = `${h.prefix}:log:live`;
    await h.log.append(buildLogEvent({ appId: 'app-x', message: 'before anyone listened' }));
    const all: LogEvent[] = [];
    const onlyX: LogEvent[] = [];
    const stopAll = await h.log.subscribe({}, (event) => all.push(event));
    const stopX = await h.log.subscribe({ appId: 'app-x' }, (event) => onlyX.push(event));
    expect(await h.redis.pubsub('NUMSUB', channel)).toEqual([channel, 1]);

    const appended = await h.log.appendMany([
      buildLogEvent({ appId: 'app-x' }),
      buildLogEvent({ appId: 'app-y' }),
      buildLogEvent({ appId: 'app-x' }),
    ]);
    await expect.poll(() => all.length).toBe(3);
    // Each app's events are appended (and published) by their own script call: apps may come in any order.
    expect(newestFirst(all)).toEqual(newestFirst(appended));
    expect(onlyX).toEqual(appended.filter((event) => event.appId === 'app-x'));

    await stopX();
    await h.log.append(buildLogEvent({ appId: 'app-x' }));
    await expect.poll(() => all.length).toBe(4);
    expect(onlyX).toHaveLength(2);
    await stopAll();
    await expect.poll(async () => h.redis.pubsub('NUMSUB', channel)).toEqual([channel, 0]);
  });
});

describe('scheduleLogRetention', () => {
  let h: LogHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('applies retention right away and on every tick until stopped', async () => {
    h = await createLogHarness({ maxCount: 5, maxAgeMs: 365 * 86_400_000 });
    const harness = h;
    await harness.log.appendMany(Array.from({ length: 12 }, () => buildLogEvent()));
    const errors: unknown[] = [];
    const stop = scheduleLogRetention(harness.log, 20, (err) => errors.push(err));
    try {
      await expect.poll(() => harness.redis.xlen(`${harness.prefix}:log:{app-1}:events`)).toBe(5);
      const newest = await harness.log.appendMany(Array.from({ length: 4 }, () => buildLogEvent()));
      await expect.poll(() => harness.redis.xlen(`${harness.prefix}:log:{app-1}:events`)).toBe(5);
      const kept = await harness.log.query({}, { limit: 10 });
      expect(kept.items.slice(0, 4)).toEqual(newestFirst(newest));
    } finally {
      stop();
    }
    expect(errors).toEqual([]);
  });
});
