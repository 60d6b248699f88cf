import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilClockPasses } from '../../../test/support/clock.ts';
import { createTask, useLifecycle } from '../../../test/support/lifecycle-harness.ts';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import type { HeldLease } from '../store/app-users.store.ts';
import { newId } from '../store/ids.ts';
import { taskEvent } from './task-events.ts';
import { Committer, Transition } from './transition.ts';

/**
 * A proxy in front of Redis that, once armed, lets the next command through but cuts the connection
 * before its reply reaches the client: what a Redis SIGKILL after the write does. ioredis then re-sends
 * the command on the new connection.
 */
async function replyDroppingProxy(
  upstream: URL,
): Promise<{ url: string; arm(): void; dropped(): number; close(): Promise<void> }> {
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const remote = createConnection({ host: upstream.hostname, port: Number(upstream.port || 6379) });
    for (const socket of [client, remote]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(remote);
    remote.on('data', (chunk) => {
      if (armed) {
        armed = false;
        dropped += 1;
        client.destroy();
        remote.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => remote.destroy());
    remote.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}${upstream.pathname}`,
    arm: () => {
      armed = true;
    },
    dropped: () => dropped,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("a push's finish re-sent after its reply was lost", () => {
  let proxy: Awaited<ReturnType<typeof replyDroppingProxy>>;
  let viaProxy: Redis;
  beforeAll(async () => {
    proxy = await replyDroppingProxy(new URL(testRedisUrl()));
    viaProxy = new Redis(proxy.url, { maxRetriesPerRequest: null, retryStrategy: () => 20 });
  });
  afterAll(async () => {
    viaProxy.disconnect();
    await proxy.close();
  });
  // The stores (and so the lifecycle's commits) go through the proxy; BullMQ goes straight to Redis.
  const harness = useLifecycle(
    () => ({ redisUrl: testRedisUrl(), keyPrefix: uniquePrefix('finish-resent') }),
    () => viaProxy,
  );

  it('is applied once: one outcome event per task, the task settled once', async () => {
    const appId = newId();
    const userId = newId();
    const { redis, stores, lifecycle } = harness();
    const task = createTask(appId, userId, 'queued');
    const seeded = await new Committer(viaProxy, stores.log).commit(
      new Transition(stores.keys, appId)
        .saveTask(task)
        .writeAppUser(appId, userId, { assigned: true }, { add: [task.id] }),
    );
    expect(seeded.ok).toBe(true);
    const load = await lifecycle.startPush(appId, userId, { owner: 'job-1', ms: 60_000 });
    if (!('lease' in load)) throw new Error('the push found its user busy');

    proxy.arm();
    await lifecycle.finishPush({
      appId,
      userId,
      lease: load.lease,
      tasks: [task],
      outcome: { status: 'succeeded' },
      pushed: { externalId: 'ext-1' },
      events: [taskEvent(task, 'succeeded', 'Pushed to the target (create).')],
    });

    expect(proxy.dropped()).toBe(1);
    const events = (await stores.log.query({ appId, userId }, { limit: 100 })).items;
    expect(events.map((e) => e.status)).toEqual(['succeeded']);
    expect((await stores.tasks.getMany(task.appId, [task.id]))[0]?.status).toBe('succeeded');
    expect(await redis.lrange(stores.keys.appOutcomes(appId), 0, -1)).toEqual(['1']);
  });
});

describe('the finish of a push that outlived its lease', () => {
  const harness = useLifecycle(() => ({
    redisUrl: testRedisUrl(),
    keyPrefix: uniquePrefix('finish-fenced'),
  }));

  it('is refused once another push took the user over: the newer push settles the task', async () => {
    const appId = newId();
    const userId = newId();
    const { stores, lifecycle } = harness();
    const task = createTask(appId, userId, 'queued');
    await new Committer(stores.redis, stores.log).commit(
      new Transition(stores.keys, appId)
        .saveTask(task)
        .writeAppUser(appId, userId, { assigned: true }, { add: [task.id] }),
    );
    const finish = (lease: HeldLease, externalId: string) =>
      lifecycle.finishPush({
        appId,
        userId,
        lease,
        tasks: [task],
        outcome: { status: 'succeeded' },
        pushed: { externalId },
        events: [taskEvent(task, 'succeeded', `Pushed to the target (create) by ${externalId}.`)],
      });
    const slow = await lifecycle.startPush(appId, userId, { owner: 'job-slow', ms: 1 });
    if (!('lease' in slow)) throw new Error('the push found its user busy');
    await untilClockPasses(slow.lease.until);
    const next = await lifecycle.startPush(appId, userId, { owner: 'job-next', ms: 60_000 });
    if (!('lease' in next)) throw new Error('the lapsed lease was not taken over');

    await finish(next.lease, 'by-next');
    await finish(slow.lease, 'by-slow');

    const events = (await stores.log.query({ appId, userId }, { limit: 100 })).items;
    expect(events.map((e) => e.message)).toEqual(['Pushed to the target (create) by by-next.']);
    expect(await stores.appUsers.find(appId, userId)).toMatchObject({
      externalId: 'by-next',
      state: 'provisioned',
    });
  });
});
