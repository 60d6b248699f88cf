import { afterEach, describe, expect, it } from 'vitest';
import { Committer, Transition } from '../../shared/src/provisioning/transition.ts';
import { storeKeys } from '../../shared/src/store/keys.ts';
import { compressText } from '../../shared/src/store/provisioning-log/log-compact.ts';
import { logKeys, userBucket, userFingerprint } from '../../shared/src/store/provisioning-log/log-keys.ts';
import {
  type LogEvent,
  type LogFilter,
  type NewLogEvent,
  ProvisioningLog,
} from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { buildLogEvent } from './log-event.factory.ts';
import { createLogHarness, type LogHarness } from './log-harness.ts';

const withoutIds = (events: LogEvent[]) => events.map(({ id: _id, at: _at, ...rest }) => rest);

async function readAll(log: ProvisioningLog, filter: LogFilter, limit: number): Promise<LogEvent[]> {
  const seen: LogEvent[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await log.query(filter, { limit, cursor });
    seen.push(...page.items);
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
}

/** A push's steps and outcome for one user, as the worker's finish logs them. */
function pushOf(appId: string, userId: string): NewLogEvent[] {
  const taskId = `task-of-${userId}`;
  const base = { appId, userId, taskId, action: 'create' as const, attempt: 1 };
  return [
    {
      ...base,
      status: 'looked_up',
      message: `Lookup GET /scim/v2/org/Users?filter=userName%20eq%20%22${userId}%22 → 200: no match`,
      request: { method: 'GET', url: `http://t/scim/v2/org/Users?filter=userName%20eq%20%22${userId}%22` },
      response: { status: 200, body: { totalResults: 0, Resources: [] } },
      durationMs: 20,
    },
    buildLogEvent({ ...base, message: 'POST /scim/v2/org/Users → 201' }),
    { ...base, status: 'succeeded', message: 'Pushed to the target (create).' },
  ];
}

/** A task's approval and queueing, as 'Bulk approve' logs them. */
function approvalOf(appId: string, userId: string): NewLogEvent[] {
  const base = { appId, userId, taskId: `task-of-${userId}`, action: 'create' as const };
  return [
    {
      ...base,
      status: 'approved',
      actor: 'admin',
      message: `Approved by admin: create ${userId}@example.test.`,
    },
    { ...base, status: 'queued', message: `Queued for push: create ${userId}@example.test.` },
  ];
}

describe('ProvisioningLog entries of several events', () => {
  let h: LogHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Commits one transition per step, each logging the step's events, in one script call. */
  async function commitSteps(harness: LogHarness, appId: string, steps: NewLogEvent[][]) {
    const committer = new Committer(harness.redis, harness.log);
    const keys = storeKeys(harness.prefix);
    return committer.commitMany(steps.map((events) => new Transition(keys, appId).log(...events)));
  }

  it("stores a step's events of one user as one stream entry and reads each back as it was written", async () => {
    h = await createLogHarness();
    const steps = [
      approvalOf('app-g', 'ann'),
      pushOf('app-g', 'ann'),
      // One step's events of two users: an entry per run of one user.
      [...approvalOf('app-g', 'bob'), buildLogEvent({ appId: 'app-g', userId: 'cy' })],
    ];
    await h.log.registerApp('app-g');
    await commitSteps(h, 'app-g', steps);
    const written = steps.flat();
    const keys = logKeys(h.prefix).app('app-g');
    const entries = await h.redis.xrange(keys.events, '-', '+');
    expect(entries.map(([, fields]) => [fields[1], fields[3]?.slice(0, 2)])).toEqual([
      ['ann', '2j'],
      ['ann', '3z'],
      ['bob', '2j'],
      ['cy', '1z'],
    ]);
    expect(await h.redis.get(keys.count)).toBe(String(written.length));

    const all = await readAll(h.log, { appId: 'app-g' }, 100);
    expect(withoutIds(all).reverse()).toEqual(written);
    const ids = all.map((event) => event.id).reverse();
    expect(new Set(ids).size).toBe(written.length);
    expect([...ids].sort()).toEqual(ids);
    // Every page size walks the same events, a cursor falling among an entry's events too; across apps too.
    for (const limit of [1, 2, 3]) {
      expect(await readAll(h.log, { appId: 'app-g' }, limit)).toEqual(all);
      expect(await readAll(h.log, {}, limit)).toEqual(all);
    }
    // Filters read through the indexes find the events inside entries.
    const only = (keep: (event: LogEvent) => boolean) => all.filter(keep);
    for (const filter of [
      { status: 'queued' as const },
      { status: 'succeeded' as const },
      { userId: 'ann' },
      { userId: 'bob', status: 'approved' as const },
      { action: 'create' as const, status: 'looked_up' as const },
    ]) {
      const expected = only(
        (event) =>
          (filter.userId === undefined || event.userId === filter.userId) &&
          (!('status' in filter) || event.status === filter.status),
      );
      expect(await readAll(h.log, { appId: 'app-g', ...filter }, 1)).toEqual(expected);
      expect(await readAll(h.log, filter, 100)).toEqual(expected);
    }
    // A time window holds an entry's events whole (they share its millisecond).
    const at = all[0]?.at as string;
    const until = new Date(Date.parse(at) + 1).toISOString();
    expect(await readAll(h.log, { appId: 'app-g', since: at, until }, 2)).toEqual(
      only((event) => event.at === at),
    );
  });

  it('leaves out the entries of a refused step and keeps the ids of the next call after the last event', async () => {
    h = await createLogHarness();
    const keys = storeKeys(h.prefix);
    const committer = new Committer(h.redis, h.log);
    const refused = new Transition(keys, 'app-r').expectTaskStatus('app-r', 'no-task', 'queued');
    refused.log(...approvalOf('app-r', 'ann'));
    const push = pushOf('app-r', 'bob');
    const applied = new Transition(keys, 'app-r').log(...push);
    const results = await committer.commitMany([refused, applied]);
    expect(results.map((result) => result.ok)).toEqual([false, true]);
    const next = buildLogEvent({ appId: 'app-r', userId: 'cy' });
    await h.log.appendMany([next]);
    await h.log.registerApp('app-r');
    const all = await readAll(h.log, { appId: 'app-r' }, 100);
    expect(withoutIds(all).reverse()).toEqual([...push, next]);
    expect(all.map((event) => event.id)).toEqual([...all.map((event) => event.id)].sort().reverse());
  });

  it("delivers each of an entry's events to live tails, with the ids a query answers", async () => {
    h = await createLogHarness();
    const harness = h;
    const seen: LogEvent[] = [];
    const stop = await h.log.subscribe({ appId: 'app-l' }, (event) => seen.push(event));
    try {
      await commitSteps(h, 'app-l', [pushOf('app-l', 'ann'), approvalOf('app-l', 'bob')]);
      await expect.poll(() => seen.length).toBe(5);
      await h.log.registerApp('app-l');
      expect(seen).toEqual((await readAll(harness.log, { appId: 'app-l' }, 100)).reverse());
    } finally {
      await stop();
    }
  });

  it('counts events, not entries, for retention, and drops an entry only with all its events', async () => {
    h = await createLogHarness({ maxCount: 3, maxAgeMs: 365 * 86_400_000 });
    await h.log.registerApp('app-k');
    const first = buildLogEvent({ appId: 'app-k', userId: 'ann' });
    const last = buildLogEvent({ appId: 'app-k', userId: 'cy' });
    const push = pushOf('app-k', 'bob');
    await commitSteps(h, 'app-k', [[first], push, [last]]);
    const keys = logKeys(h.prefix).app('app-k');
    // 5 events over 3: the oldest 2 are ann's and bob's first; bob's entry stays whole.
    expect(await h.log.applyRetention()).toBe(1);
    const left = await readAll(h.log, { appId: 'app-k' }, 100);
    expect(withoutIds(left).reverse()).toEqual([...push, last]);
    expect(await h.redis.get(keys.count)).toBe('4');
    expect(await readAll(h.log, { userId: 'ann' }, 10)).toEqual([]);

    const keepOne = new ProvisioningLog({
      redis: h.redis,
      keyPrefix: h.prefix,
      retention: { maxCount: 1, maxAgeMs: 365 * 86_400_000 },
    });
    expect(await keepOne.applyRetention()).toBe(3);
    expect(withoutIds(await readAll(h.log, { appId: 'app-k' }, 100))).toEqual([last]);
    expect(await h.redis.get(keys.count)).toBe('1');
    expect(await keepOne.applyRetention()).toBe(0);
  });

  it('reads, counts and trims events stored one per entry before (fields u and j or z)', async () => {
    h = await createLogHarness({ maxCount: 2, maxAgeMs: 365 * 86_400_000 });
    const keys = logKeys(h.prefix).app('app-o');
    const plain = { appId: 'app-o', userId: 'old', taskId: 't-1', action: 'update' as const };
    const old: NewLogEvent[] = [
      { ...plain, status: 'queued', message: 'Queued for push: update old.' },
      {
        ...plain,
        status: 'failed',
        attempt: 2,
        message: 'Push failed',
        response: { status: 500, body: { x: 1 } },
      },
    ];
    // The format before: `u` and `j`, [taskId, action, status, message, ...] as JSON, or `z`, that deflated.
    const ids = [
      await h.redis.xadd(keys.events, '*', 'u', 'old', 'j', JSON.stringify(['t-1', 1, 3, old[0]?.message])),
      await h.redis.xadd(
        keys.events,
        '*',
        'u',
        'old',
        'z',
        compressText(JSON.stringify(['t-1', 1, 5, 'Push failed', 2, null, null, [500, { x: 1 }]])),
      ),
    ] as string[];
    for (const [i, id] of ids.entries()) {
      const code = 10 + (i === 0 ? 3 : 5);
      await h.redis.xadd(keys.byUser('old'), id, 'v', `0:${userFingerprint('old') * 100 + code}`);
      await h.redis.xadd(keys.byStatus(i === 0 ? 'queued' : 'failed'), id, 'v', `0:${code}`);
      await h.redis.xadd(keys.byAction('update'), id, 'v', `0:${code}`);
    }
    await h.log.registerApp('app-o');
    await commitSteps(h, 'app-o', [approvalOf('app-o', 'new')]);
    // The count starts from the older entries, one event each.
    expect(await h.redis.get(keys.count)).toBe('4');
    expect(withoutIds((await h.log.query({ userId: 'old' }, { limit: 10 })).items).reverse()).toEqual(old);
    expect(withoutIds((await h.log.query({ status: 'failed' }, { limit: 10 })).items)).toEqual([old[1]]);
    expect(await h.log.applyRetention()).toBe(2);
    expect(withoutIds(await readAll(h.log, { appId: 'app-o' }, 10)).reverse()).toEqual(
      approvalOf('app-o', 'new'),
    );
    expect(await h.redis.get(keys.count)).toBe('2');
  });

  it("lists a user bucket's events in runs, a user with fingerprint 0 after another on a run of its own", async () => {
    h = await createLogHarness();
    let zero = 0;
    while (userFingerprint(`z-${zero}`) !== 0) zero += 1;
    const bucketOf = userBucket(`z-${zero}`);
    let other = 0;
    while (userBucket(`o-${other}`) !== bucketOf || userFingerprint(`o-${other}`) === 0) other += 1;
    const [a, b] = [`o-${other}`, `z-${zero}`];
    const events = [a, a, b, b, a].map((userId) => buildLogEvent({ appId: 'app-f', userId }));
    const appended = await h.log.appendMany(events);
    const entries = await h.redis.xrange(logKeys(h.prefix).app('app-f').byUser(a), '-', '+');
    const listed = entries.map(([, fields]) => fields);
    const code = 4;
    const fa = userFingerprint(a) * 100 + code;
    expect(listed).toEqual([['v', `0:${fa},${code} 2:${code},${code},${fa}`]]);
    expect(await readAll(h.log, { userId: b }, 1)).toEqual([appended[3], appended[2]]);
    expect(await readAll(h.log, { userId: a, appId: 'app-f' }, 10)).toEqual([
      appended[4],
      appended[1],
      appended[0],
    ]);
  });

  it('writes the index entries the appender built for a whole call as the script builds them when a step is refused', async () => {
    h = await createLogHarness();
    const keys = storeKeys(h.prefix);
    const committer = new Committer(h.redis, h.log);
    // Users of one bucket, one of fingerprint 0, so the runs continue and break every way they can.
    let zero = 0;
    while (userFingerprint(`z-${zero}`) !== 0) zero += 1;
    const zeroUser = `z-${zero}`;
    const sameBucket: string[] = [];
    for (let i = 0; sameBucket.length < 2; i++)
      if (userBucket(`s-${i}`) === userBucket(zeroUser) && userFingerprint(`s-${i}`) > 0)
        sameBucket.push(`s-${i}`);
    const [a, b] = sameBucket as [string, string];
    const stepsOf = (appId: string) => [
      approvalOf(appId, a),
      approvalOf(appId, zeroUser),
      pushOf(appId, a),
      [...approvalOf(appId, b), buildLogEvent({ appId, userId: zeroUser })],
      pushOf(appId, b),
      [buildLogEvent({ appId, userId: a }), buildLogEvent({ appId, userId: b, status: 'failed' })],
    ];
    const transitions = (appId: string) =>
      stepsOf(appId).map((events) => new Transition(keys, appId).log(...events));
    const refused = new Transition(keys, 'app-p').expectTaskStatus('app-p', 'no-task', 'queued');
    refused.log(...approvalOf('app-p', 'refused-user'));

    expect((await committer.commitMany(transitions('app-w'))).every((result) => result.ok)).toBe(true);
    const partial = await committer.commitMany([refused, ...transitions('app-p')]);
    expect(partial.map((result) => result.ok)).toEqual([false, ...stepsOf('app-p').map(() => true)]);

    const { redis, prefix } = h;
    const indexesOf = (appId: string) => {
      const app = logKeys(prefix).app(appId);
      const events = stepsOf(appId).flat();
      return [
        ...new Set([
          ...events.map((event) => app.byUser(event.userId)),
          ...events.map((event) => app.byStatus(event.status)),
          ...events.map((event) => app.byAction(event.action)),
        ]),
      ];
    };
    const values = async (appId: string) =>
      Promise.all(
        indexesOf(appId).map(async (key) => (await redis.xrange(key, '-', '+')).map(([, fields]) => fields)),
      );
    const whole = await values('app-w');
    expect(whole.every((entries) => entries.length === 1)).toBe(true);
    expect(whole.flat(2).some((value) => value.includes(','))).toBe(true);
    expect(await values('app-p')).toEqual(whole);
  });
});
