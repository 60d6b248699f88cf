import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromSevenBit, toSevenBit } from '../../shared/src/store/compact-text.ts';
import { actionCode, encodeEntry, statusCode } from '../../shared/src/store/provisioning-log/log-codec.ts';
import { logKeys, userFingerprint } from '../../shared/src/store/provisioning-log/log-keys.ts';
import { parseLiveMessage } from '../../shared/src/store/provisioning-log/log-live.ts';
import {
  type LogEvent,
  type NewLogEvent,
  ProvisioningLog,
} from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { untilClockPasses } from '../support/clock.ts';
import { buildLogEvent } from './log-event.factory.ts';
import { createLogHarness, type LogHarness } from './log-harness.ts';

/** The shapes a push and the lifecycle log: bodies or none, short and long, non-ASCII text. */
function pushOfOneUser(appId: string, userId: string): NewLogEvent[] {
  const taskId = '0mx1zd0xo8cd7edf21f76';
  const base = { appId, userId, taskId, action: 'create' as const };
  return [
    {
      ...base,
      status: 'pending_approval',
      message: `Awaiting admin approval: create ${userId}@example.test.`,
    },
    {
      ...base,
      status: 'approved',
      actor: 'admin',
      message: `Approved by admin: create ${userId}@example.test.`,
    },
    {
      ...base,
      status: 'looked_up',
      attempt: 1,
      message: `Lookup GET /scim/v2/org/Users?filter=userName%20eq%20%22${userId}%22 → 200: no match`,
      request: {
        method: 'GET',
        url: `http://127.0.0.1:45379/scim/v2/org/Users?filter=userName%20eq%20%22${userId}%22`,
      },
      response: {
        status: 200,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: 0,
          startIndex: 1,
          itemsPerPage: 0,
          Resources: [],
        },
      },
      durationMs: 26,
    },
    buildLogEvent({
      ...base,
      message: 'Créé : 名前 ✓ → 201',
      request: { method: 'POST', url: 'http://t/Users' },
    }),
    { ...base, status: 'succeeded', attempt: 1, message: 'Pushed to the target (create).' },
    { ...base, status: 'failed', attempt: 3, message: 'Push failed', response: { status: 500 } },
  ];
}

const withoutIds = (events: LogEvent[]) => events.map(({ id: _id, at: _at, ...rest }) => rest);

describe('ProvisioningLog compact storage', () => {
  let h: LogHarness;
  beforeEach(async () => {
    h = await createLogHarness();
  });
  afterEach(() => h.close());

  it('packs seven-bit text that unpacks to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toSevenBit(bytes);
        expect([...text].every((char) => char.charCodeAt(0) < 128)).toBe(true);
        expect(Buffer.byteLength(text, 'utf8')).toBe(Math.ceil((bytes.length * 8) / 7));
        expect(fromSevenBit(text).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('stores each appended event as its user and a rest, compressed when it carries an exchange, and reads back exactly what was appended', async () => {
    const events = [...pushOfOneUser('app-c', 'usér-ü 1'), ...pushOfOneUser('app-c', 'user-2')];
    const appended = await h.log.appendMany(events);
    const page = await h.log.query({ appId: 'app-c' }, { limit: 100 });
    expect(page.items).toEqual([...appended].reverse());
    expect(withoutIds(appended)).toEqual(events.map((event) => ({ ...event })));

    const raw = await h.redis.xrange(logKeys(h.prefix).app('app-c').events, '-', '+');
    expect(raw.map(([, fields]) => [fields[0], fields[1], fields[2], fields[3]?.slice(0, 2)])).toEqual(
      events.map((event) => ['u', event.userId, 'g', event.request || event.response ? '1z' : '1j']),
    );
    const stored = raw.reduce((sum, [, fields]) => sum + Buffer.byteLength(fields[3] as string), 0);
    const asJson = events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0);
    expect(stored).toBeLessThan(asJson * 0.5);

    // Filters that confirm the user on the entry, and a page by user across apps.
    expect(await h.log.query({ appId: 'app-c', userId: 'usér-ü 1' }, { limit: 100 })).toEqual({
      items: [...appended.slice(0, 6)].reverse(),
      nextCursor: null,
    });
    expect((await h.log.query({ userId: 'user-2', status: 'looked_up' }, { limit: 10 })).items).toEqual([
      appended[8],
    ]);
  });

  it('delivers live events whose compressed rest holds newlines, with multi-byte user ids', async () => {
    // An event whose deflated rest has a newline byte among its seven-bit characters.
    let withNewline = buildLogEvent({ appId: 'app-live', userId: 'ünïcode-user' });
    for (let i = 0; !encodeEntry([withNewline])[3].includes('\n'); i++)
      withNewline = { ...withNewline, message: `Pushed ${i}` };
    const seen: LogEvent[] = [];
    const stop = await h.log.subscribe({ appId: 'app-live' }, (event) => seen.push(event));
    try {
      const appended = await h.log.appendMany([
        withNewline,
        buildLogEvent({ appId: 'app-live', userId: 'plain', message: 'short' }),
        buildLogEvent({ appId: 'app-other', userId: 'elsewhere' }),
      ]);
      const deadline = Date.now() + 2000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual(appended.slice(0, 2));
    } finally {
      await stop();
    }
  });

  it('reads a live message on bytes and passes over one of another format', () => {
    const keys = logKeys('p');
    const user = Buffer.from('ü-1');
    const rest = 'a\nb';
    const message = Buffer.concat([
      Buffer.from(`${keys.app('app-x').events}\n1-0 z ${user.length} ${rest.length}\n`),
      user,
      Buffer.from(rest),
    ]);
    const parsed = parseLiveMessage(message);
    expect(keys.appOfEvents(parsed.eventsKey)).toBe('app-x');
    expect(parsed.entries).toEqual([{ streamId: '1-0', fields: ['u', 'ü-1', 'z', 'a\nb'] }]);
    // The first per-app format: `id\npayload` lines.
    const old = parseLiveMessage(Buffer.from('1-0\n["app-x","u","t",0,4,"m"]'));
    expect(keys.appOfEvents(old.eventsKey)).toBeNull();
    expect(old.entries).toEqual([]);
    expect(parseLiveMessage(Buffer.from(`${keys.app('a').events}\n1-0 z 5 900\nshort`)).entries).toEqual([]);
  });

  it('still reads, filters and trims events stored before compaction (one JSON array per entry)', async () => {
    const keys = logKeys(h.prefix).app('app-old');
    const old = buildLogEvent({ appId: 'app-old', userId: 'old-user', status: 'failed', action: 'update' });
    // The first per-app format: `e` = [appId, userId, taskId, action, status, message, attempt, actor, request, response, durationMs].
    const json = JSON.stringify([
      old.appId,
      old.userId,
      old.taskId,
      actionCode(old.action),
      statusCode(old.status),
      old.message,
      old.attempt,
      null,
      [old.request?.method, old.request?.url, old.request?.body],
      [old.response?.status, old.response?.body],
      old.durationMs,
    ]);
    const id = await h.redis.xadd(keys.events, '*', 'e', json);
    const code = actionCode(old.action) * 10 + statusCode(old.status);
    await h.redis.xadd(
      keys.byUser(old.userId),
      id as string,
      'v',
      `0:${userFingerprint(old.userId) * 100 + code}`,
    );
    await h.redis.xadd(keys.byStatus(old.status), id as string, 'v', `0:${code}`);
    await h.redis.xadd(keys.byAction(old.action), id as string, 'v', `0:${code}`);
    await h.redis.sadd(logKeys(h.prefix).apps, 'app-old');
    // Retention keeps the index entries of the oldest kept event's millisecond: the fresh event is
    // appended in a later one, so the old event's index entries can go.
    const oldMs = Number((id as string).split('-')[0]);
    await untilClockPasses(oldMs);
    const [fresh] = await h.log.appendMany([buildLogEvent({ appId: 'app-old', userId: 'old-user' })]);

    const all = await h.log.query({ appId: 'app-old' }, { limit: 10 });
    expect(withoutIds(all.items)).toEqual([expect.anything(), old]);
    expect(all.items[0]).toEqual(fresh);
    const byUser = await h.log.query({ userId: 'old-user', status: 'failed' }, { limit: 10 });
    expect(withoutIds(byUser.items)).toEqual([old]);

    const keepOne = new ProvisioningLog({
      redis: h.redis,
      keyPrefix: h.prefix,
      retention: { maxCount: 1, maxAgeMs: 365 * 86_400_000 },
    });
    expect(await keepOne.applyRetention()).toBe(1);
    expect((await h.log.query({ appId: 'app-old' }, { limit: 10 })).items).toEqual([fresh]);
    // The old event's status index held it alone: trimmed away; its user bucket still lists the fresh one.
    expect(await h.redis.exists(keys.byStatus('failed'))).toBe(0);
    expect(await h.redis.exists(keys.byUser(old.userId))).toBe(1);
  });
});
