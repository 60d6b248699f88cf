import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../../test/support/redis.ts';
import { loadConfig } from '../config/env.ts';
import { createLogger } from '../logger/logger.ts';
import type { Task } from '../types/task.schema.ts';
import { newId } from './ids.ts';
import { storeKeys } from './keys.ts';
import { PushQueues } from './push-queues.ts';
import { createStores, type Stores } from './stores.ts';

const TASKS = 2500;

describe('ApprovalBatches', () => {
  let redis: Redis;
  let stores: Stores;
  let queues: PushQueues;
  let prefix: string;

  beforeAll(() => {
    prefix = uniquePrefix('approvals');
    const config = loadConfig({ PROVISIM_KEY_PREFIX: prefix, REDIS_URL: testRedisUrl() });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    stores = createStores(redis, config);
    queues = new PushQueues(config, redis, createLogger('approvals-test', 'silent'));
  });

  afterAll(async () => {
    await queues.close();
    await redis.quit();
  });

  async function seedPending(appId: string, count: number): Promise<Task[]> {
    const tasks: Task[] = Array.from({ length: count }, (_, i) => ({
      id: newId(),
      appId,
      userId: `u${i}`,
      action: 'create',
      status: 'pending',
      approvalKind: 'create',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
      preview: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `u${i}@x.test`,
        active: true,
      },
      groups: [],
    }));
    const p = redis.multi();
    for (const task of tasks) {
      stores.tasks.save(p, task, null);
      stores.appUsers.write(p, appId, task.userId, {
        email: `${task.userId}@x.test`,
        pendingTaskId: task.id,
      });
    }
    await p.exec();
    return tasks;
  }

  it('stages every pending task at once, then materialises status, intent, events and jobs in chunks', async () => {
    const appId = newId();
    const seeded = await seedPending(appId, TASKS);
    expect(await stores.approvals.stage(appId, 'admin')).toBe(TASKS);
    expect(await stores.tasks.countWithStatus(appId, 'pending')).toBe(0);
    expect(await stores.approvals.count(appId)).toBe(1);

    expect(await stores.approvals.step(appId, queues, 1)).toBe('progress');
    expect(await stores.tasks.countWithStatus(appId, 'queued')).toBe(1000);

    const lock = storeKeys(prefix).appApprovalsLock(appId);
    await redis.set(lock, 'another-process', 'PX', 60_000);
    expect(await stores.approvals.step(appId, queues)).toBe('locked');
    await redis.del(lock);

    expect(await stores.approvals.step(appId, queues)).toBe('done');
    expect(await stores.approvals.count(appId)).toBe(0);
    expect(await stores.tasks.countWithStatus(appId, 'queued')).toBe(TASKS);
    const tasks = await stores.tasks.getMany(seeded.map((t) => t.id));
    expect(new Set(tasks.map((t) => `${t.status}/${t.decidedBy}`))).toEqual(new Set(['queued/admin']));
    const record = await stores.appUsers.find(appId, 'u7');
    expect(record).toMatchObject({ state: 'queued', pendingTaskId: null, intent: 'active' });
    expect(record?.intentResource?.userName).toBe('u7@x.test');

    const approved = await stores.log.query({ appId, status: 'approved' }, { limit: 1000 });
    expect(approved.items).toHaveLength(1000);
    expect(approved.items.every((e) => e.actor === 'admin')).toBe(true);
    const queuedEvents = await stores.log.query({ appId, userId: 'u7', status: 'queued' }, { limit: 10 });
    expect(queuedEvents.items.map((e) => e.taskId)).toEqual([seeded[7]?.id]);
    expect(await queues.queue(appId).count()).toBe(TASKS);
    expect(await redis.scard(storeKeys(prefix).appOutbox(appId))).toBe(0);
  });

  it('settles the staged tasks a change is about ahead of their batch, once', async () => {
    const appId = newId();
    const seeded = await seedPending(appId, TASKS);
    const late = seeded[TASKS - 1] as Task;
    expect(await stores.approvals.settleTasks(appId, [late.id], queues)).toBe(false);
    expect(await stores.approvals.stage(appId, 'admin')).toBe(TASKS);
    expect(await stores.approvals.settleTasks(appId, [late.id, 'not-a-task'], queues)).toBe(true);
    expect((await stores.tasks.get(appId, late.id)).status).toBe('queued');
    expect((await stores.tasks.get(appId, (seeded[0] as Task).id)).status).toBe('pending');
    expect(await stores.approvals.settleTasks(appId, [late.id], queues)).toBe(false);
    expect(await stores.approvals.step(appId, queues)).toBe('done');
    expect(await stores.tasks.countWithStatus(appId, 'queued')).toBe(TASKS);
    const events = await stores.log.query({ appId, userId: late.userId }, { limit: 10 });
    expect(events.items.map((e) => e.status).sort()).toEqual(['approved', 'queued']);
    expect(await queues.queue(appId).count()).toBe(TASKS);
  });

  it('a batch with nothing pending is not recorded; tasks decided meanwhile are left as they are', async () => {
    const appId = newId();
    expect(await stores.approvals.stage(appId, 'admin')).toBe(0);
    expect(await stores.approvals.count(appId)).toBe(0);

    const [first, second] = await seedPending(appId, 2);
    expect(await stores.approvals.stage(appId, 'admin')).toBe(2);
    const p = redis.multi();
    stores.tasks.save(p, { ...(first as Task), status: 'superseded' }, 'pending');
    await p.exec();
    expect(await stores.approvals.step(appId, queues)).toBe('done');
    expect((await stores.tasks.get(appId, (first as Task).id)).status).toBe('superseded');
    expect((await stores.tasks.get(appId, (second as Task).id)).status).toBe('queued');
    expect(await queues.queue(appId).count()).toBe(1);
  });
});
