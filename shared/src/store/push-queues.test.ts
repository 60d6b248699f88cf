import { describe, expect, it } from 'vitest';
import { useLifecycle, usersInPushQueue } from '../../../test/support/lifecycle-harness.ts';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { newId } from './ids.ts';

describe('PushQueues.flushOutbox', () => {
  const harness = useLifecycle(() => ({ redisUrl: testRedisUrl(), keyPrefix: uniquePrefix('outbox') }));

  it('enqueues the users the outbox held at the previous flush too, leaving newer ones to their producer', async () => {
    const { redis, stores, queues } = harness();
    const appId = newId();
    const outbox = stores.keys.appOutbox(appId);
    await redis.sadd(outbox, 'left-by-a-crash', 'enqueued-meanwhile');

    const first = await queues.flushOutbox(appId, new Set());
    expect(first).toEqual({ found: new Set(['left-by-a-crash', 'enqueued-meanwhile']), flushed: 0 });
    expect(await usersInPushQueue(queues, appId)).toEqual([]);

    // Its producer enqueued one (and took it out of the outbox); a new change marked another.
    await redis.srem(outbox, 'enqueued-meanwhile');
    await redis.sadd(outbox, 'just-committed');
    const second = await queues.flushOutbox(appId, first.found);
    expect(second.flushed).toBe(1);
    expect(await usersInPushQueue(queues, appId)).toEqual(['left-by-a-crash']);
    expect(await redis.smembers(outbox)).toEqual(['just-committed']);
  });
});
