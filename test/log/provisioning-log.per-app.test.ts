import { afterEach, describe, expect, it } from 'vitest';
import { parseEventId } from '../../shared/src/store/provisioning-log/log-codec.ts';
import {
  LOG_STATUSES,
  type LogEvent,
  type LogFilter,
  type ProvisioningLog,
} from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { buildLogEvent } from './log-event.factory.ts';
import { createLogHarness, type LogHarness } from './log-harness.ts';

const newestFirst = (events: LogEvent[]) => [...events].sort((a, b) => (a.id < b.id ? 1 : -1));
const streamIdOf = (event: LogEvent) => parseEventId(event.id)?.streamId;

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

describe('ProvisioningLog per app', () => {
  let h: LogHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it("keeps each app's events and indexes under keys tagged with the app, found by a query across apps", async () => {
    h = await createLogHarness();
    await h.log.appendMany([buildLogEvent({ appId: 'app-a' }), buildLogEvent({ appId: 'app-b' })]);
    const keys = (await h.keys()).map((key) => key.slice(h?.prefix.length));
    const tagged = keys.filter((key) => key !== ':log:apps');
    expect(tagged.length).toBeGreaterThan(0);
    for (const key of tagged) expect(key).toMatch(/^:log:\{app-[ab]\}:/);
    expect((await h.redis.smembers(`${h.prefix}:log:apps`)).sort()).toEqual(['app-a', 'app-b']);
  });

  it('gives events of two apps written in the same millisecond unique ids, in one order', async () => {
    h = await createLogHarness();
    let twins: LogEvent[] | undefined;
    for (let attempt = 0; attempt < 50 && !twins; attempt++) {
      // Fresh apps: both streams hand out `<ms>-0` when the two calls run in the same millisecond.
      const pair = await h.log.appendMany([
        buildLogEvent({ appId: `app-a${attempt}` }),
        buildLogEvent({ appId: `app-b${attempt}` }),
      ]);
      if (streamIdOf(pair[0] as LogEvent) === streamIdOf(pair[1] as LogEvent)) twins = pair;
    }
    expect(twins).toBeDefined();
    const [a, b] = twins as [LogEvent, LogEvent];
    expect(a.id).not.toBe(b.id);
    expect(a.at).toBe(b.at);
    const both = (await readAll(h.log, {}, 1000)).filter((e) => e.id === a.id || e.id === b.id);
    expect(both).toEqual(newestFirst([a, b]));
  });

  it('pages a query across apps with cursors, with no event skipped or repeated', async () => {
    h = await createLogHarness();
    const apps = ['app-1', 'app-2', 'app-3', 'app-4', 'app-5'];
    const all: LogEvent[] = [];
    for (let batch = 0; batch < 12; batch++) {
      // One pipeline per batch, so the apps' calls often share a millisecond (and stream ids).
      all.push(
        ...(await h.log.appendMany(
          Array.from({ length: 25 }, (_, i) =>
            buildLogEvent({
              appId: apps[(i * (batch + 1)) % apps.length],
              userId: `u-${i % 4}`,
              status: LOG_STATUSES[(i + batch) % 3],
            }),
          ),
        )),
      );
    }
    const since = all[100]?.at as string;
    for (const filter of [{}, { status: 'approved' }, { userId: 'u-1' }, { since }] as LogFilter[]) {
      const expected = newestFirst(
        all.filter(
          (e) =>
            (filter.status === undefined || e.status === filter.status) &&
            (filter.userId === undefined || e.userId === filter.userId) &&
            (filter.since === undefined || e.at >= filter.since),
        ),
      );
      for (const limit of [1, 3, 7, 50, 1000]) expect(await readAll(h.log, filter, limit)).toEqual(expected);
    }
  });

  it('exports the whole log across apps, page after page, each event once and newest first', async () => {
    h = await createLogHarness();
    const all = await h.log.appendMany(
      Array.from({ length: 2600 }, (_, i) =>
        buildLogEvent({ appId: `app-${i % 3 ? 'many' : `few-${i % 2}`}` }),
      ),
    );
    const exported: LogEvent[] = [];
    for await (const event of await h.log.export({})) exported.push(event as LogEvent);
    expect(exported).toEqual(newestFirst(all));
  });

  it('ends a page across apps short, with a cursor, when an app spends its scan budget, and still finds every match', async () => {
    h = await createLogHarness(undefined, 10);
    const sparse = await h.log.appendMany(
      Array.from({ length: 60 }, (_, i) =>
        buildLogEvent({
          appId: i % 2 ? 'app-s' : 'app-t',
          status: 'failed',
          action: i % 15 ? 'update' : 'delete',
        }),
      ),
    );
    const filter: LogFilter = { status: 'failed', action: 'delete' };
    const first = await h.log.query(filter, { limit: 50 });
    expect(first.items.length).toBeLessThan(4);
    expect(first.nextCursor).not.toBeNull();
    expect(await readAll(h.log, filter, 50)).toEqual(
      newestFirst(sparse.filter((e) => e.action === 'delete')),
    );
  });

  it("adds one entry per append call to each index stream, listing the call's events there", async () => {
    h = await createLogHarness();
    await h.log.appendMany(
      Array.from({ length: 10 }, (_, i) =>
        buildLogEvent({ appId: 'app-i', userId: 'u-same', status: i % 2 ? 'failed' : 'succeeded' }),
      ),
    );
    const app = `${h.prefix}:log:{app-i}`;
    expect(await h.redis.xlen(`${app}:events`)).toBe(10);
    for (const index of ['s:failed', 's:succeeded', 'c:create']) {
      expect(await h.redis.xlen(`${app}:${index}`)).toBe(1);
    }
    const [entry] = await h.redis.xrange(`${app}:s:failed`, '-', '+');
    const listed = entry?.[1][1] ?? '';
    expect(listed.split(' ').map((item) => item.split(':')[0])).toEqual(['1', '3', '5', '7', '9']);
    const buckets = (await h.keys()).filter((key) => key.startsWith(`${app}:u:`));
    expect(buckets).toHaveLength(1);
    expect(await h.redis.xlen(buckets[0] as string)).toBe(1);
  });

  it("encodes a script's events for one app only, its events stream first", async () => {
    h = await createLogHarness();
    const { keys } = h.log.encodeForScript([
      [buildLogEvent({ appId: 'app-e' })],
      [buildLogEvent({ appId: 'app-e' })],
    ]);
    expect(keys[0]).toBe(`${h.prefix}:log:{app-e}:events`);
    expect(() =>
      h?.log.encodeForScript([[buildLogEvent({ appId: 'app-e' })], [buildLogEvent({ appId: 'app-f' })]]),
    ).toThrow(/one app/);
    expect(h.log.encodeForScript([]).keys).toEqual([]);
    expect(h.log.encodeForScript([[], []])).toMatchObject({ keys: [], stepArgs: [0, 0] });
  });

  it("keeps a deleted app's events in queries across apps until retention drops them", async () => {
    h = await createLogHarness({ maxCount: 3, maxAgeMs: 365 * 86_400_000 });
    await h.log.registerApp('app-gone');
    const gone = await h.log.appendMany([
      buildLogEvent({ appId: 'app-gone' }),
      buildLogEvent({ appId: 'app-gone' }),
    ]);
    const kept = await h.log.appendMany([
      buildLogEvent({ appId: 'app-kept' }),
      buildLogEvent({ appId: 'app-kept' }),
    ]);
    expect(await readAll(h.log, {}, 10)).toEqual(newestFirst([...gone, ...kept]));
    expect(await h.log.applyRetention()).toBe(1);
    expect(await readAll(h.log, {}, 10)).toEqual(newestFirst([gone[1] as LogEvent, ...kept]));
  });
});
