import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { GroupCall, type GroupHold } from './group-call.ts';
import { type CommitResult, type Committer, Transition } from './transition.ts';

/** Transitions of an app grouped as the lifecycle groups push finishes. */
const groupCommit = (committer: Committer, hold?: GroupHold) =>
  new GroupCall<Transition, CommitResult>((_, transitions) => committer.commitMany(transitions), hold);

describe('GroupCall', () => {
  const harness = useCommitter('group-call');
  let monitor: Redis;
  /** The script calls Redis ran for the app, each as the list of its transitions' user ids. */
  const calls: string[][] = [];
  let sentinels = 0;

  beforeAll(async () => {
    const { redis, keys, committer } = harness();
    // Redis then knows the script: each call below is one EVALSHA, none refused with NOSCRIPT first.
    await committer.commit(new Transition(keys, 'warm-up').writeAppUser('warm-up', 'u', {}));
    monitor = await redis.monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      const [command = '', , , routingKey, ...rest] = args;
      const name = command.toLowerCase();
      if (name === 'get' && args[1] === keys.app('sentinel')) sentinels += 1;
      if ((name !== 'evalsha' && name !== 'eval') || routingKey !== keys.app('app-1')) return;
      const body = JSON.parse(rest.find((arg) => arg.startsWith('{"transitions"')) ?? '{}') as {
        transitions: { appUsers: { userId: string }[] }[];
      };
      calls.push(body.transitions.map((t) => t.appUsers[0]?.userId ?? ''));
    });
  });
  afterAll(() => monitor.disconnect());

  /** Waits until the monitor has seen every command sent before this call (it sees them in order). */
  const seenAll = async () => {
    const { redis, keys } = harness();
    const expected = sentinels + 1;
    await redis.get(keys.app('sentinel'));
    while (sentinels < expected) await new Promise((resolve) => setImmediate(resolve));
  };

  const commit = (group: GroupCall<Transition, CommitResult>, transition: Transition, sender?: string) =>
    group.call(transition.routingKey, transition, sender);

  /** A group held as given, once every command before it is seen and the calls seen so far are cleared. */
  const heldGroup = async (hold: GroupHold) => {
    const group = groupCommit(harness().committer, hold);
    await seenAll();
    calls.length = 0;
    return group;
  };

  const write = (userId: string, rev = '') => {
    const { keys } = harness();
    return new Transition(keys, 'app-1')
      .expectRevision('app-1', userId, rev)
      .writeAppUser('app-1', userId, { email: `${userId}@x.test` });
  };

  it('sends what comes in one turn in one call, and what comes while it is in flight in the next', async () => {
    const group = groupCommit(harness().committer);
    calls.length = 0;
    const first = [commit(group, write('a1')), commit(group, write('a2', 'not-this-rev'))];
    await new Promise((resolve) => setImmediate(resolve));
    const next = [commit(group, write('a3')), commit(group, write('a4'))];
    const results = await Promise.all([...first, ...next]);
    await seenAll();

    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    expect(calls).toEqual([
      ['a1', 'a2'],
      ['a3', 'a4'],
    ]);
  });

  it("fails every transition of a call that Redis refused, and sends the next call's", async () => {
    const { redis, keys, committer } = harness();
    const group = groupCommit(committer);
    await redis.set(keys.appOutbox('app-1'), 'not a set');
    const refused = [commit(group, write('b1')), commit(group, write('b2').owePush('app-1', 'b2'))];
    const outcomes = await Promise.allSettled(refused);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);

    expect(await commit(group, write('b3'))).toMatchObject({ ok: true });
  });

  it('holds a call until the items expected have come, in later turns too', async () => {
    // The hold would outlast any test: only the third item's coming sends the call.
    const group = await heldGroup({ ms: 600_000, expected: () => 3 });
    const early = [commit(group, write('c1'), 'job-1'), commit(group, write('c2'), 'job-2')];
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    const results = await Promise.all([...early, commit(group, write('c3'), 'job-3')]);
    await seenAll();

    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(calls).toEqual([['c1', 'c2', 'c3']]);
  });

  it('sends a held call once its hold is over, with the items that came', async () => {
    const group = await heldGroup({ ms: 1, expected: () => 5 });
    const results = await Promise.all([
      commit(group, write('d1'), 'job-1'),
      commit(group, write('d2'), 'job-2'),
    ]);
    await seenAll();

    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(calls).toEqual([['d1', 'd2']]);
  });

  it('sends a held call once a sender adds a second item, that item with it', async () => {
    // A batch job's next finish: the job's pushes came round once, so the call waits no longer.
    const group = await heldGroup({ ms: 600_000, expected: () => 16 });
    const results = await Promise.all([
      commit(group, write('e1'), 'job-1'),
      commit(group, write('e2'), 'job-2'),
      commit(group, write('e3'), 'job-1'),
    ]);
    await seenAll();

    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(calls).toEqual([['e1', 'e2', 'e3']]);
  });

  it('holds the call after one in flight too, and sends at once an item that has no sender', async () => {
    const group = await heldGroup({ ms: 600_000, expected: () => 3 });
    const first = [
      commit(group, write('f1'), 'job-1'),
      commit(group, write('f2'), 'job-2'),
      commit(group, write('f3'), 'job-3'),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    // Sent with the first call in flight: held once it is back, until an item that cannot wait comes.
    const later = commit(group, write('f4'), 'job-1');
    await Promise.all(first);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    await seenAll();
    expect(calls).toEqual([['f1', 'f2', 'f3']]);

    const results = await Promise.all([later, commit(group, write('f5'))]);
    await seenAll();
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(calls).toEqual([
      ['f1', 'f2', 'f3'],
      ['f4', 'f5'],
    ]);
  });
});
