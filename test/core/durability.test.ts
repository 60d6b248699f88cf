import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { freeLoopbackPort, startEmbeddedRedis } from '../../shared/src/redis/embedded-redis.ts';
import { pushQueueName } from '../../shared/src/store/push-queues.ts';
import { type Api, apiClient } from '../support/api-client.ts';
import { buildUser, setUpAppOnNewOrg, waitHealthy, waitIdle } from '../support/factories.ts';
import { killAllChildren, startStackWorker } from '../support/processes.ts';
import { startStack, type TestStack } from '../support/stack.ts';

type TargetUser = { userName: string };

async function targetUserNames(target: Api, orgId: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = '0';
  while (cursor !== null) {
    const page: { body: { items: TargetUser[]; nextCursor: string | null } } = await target(
      'GET',
      `/target-api/orgs/${orgId}/users?limit=1000&cursor=${cursor}`,
    );
    names.push(...page.body.items.map((u) => u.userName));
    cursor = page.body.nextCursor;
  }
  return names;
}

/** An app on a new org answering after `latencyMs`, and `count` new users given it through one role. */
async function appWithUsersThroughRole(api: Api, count: number, latencyMs: number) {
  const { org, appId } = await setUpAppOnNewOrg(api, { faults: { latencyMs } });
  const users: Array<{ id: string; email: string }> = await Promise.all(
    Array.from({ length: count }, async () => (await api('POST', '/api/users', buildUser())).body),
  );
  const role = (await api('POST', '/api/roles', { name: 'everyone' })).body;
  await api('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
  await api('PUT', `/api/roles/${role.id}/users`, { userIds: users.map((u) => u.id) });
  return { org, appId, users };
}

describe('durability', () => {
  const stacks: TestStack[] = [];
  afterAll(async () => {
    await killAllChildren();
    for (const stack of stacks) await stack.stop();
  });

  it('a worker process killed with SIGKILL in the middle of 500 pushes: restarted, every user exactly once, no task lost', async () => {
    const stack = await startStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });
    await waitHealthy(stack.apiUrl, 10_000);
    stacks.push(stack);
    const api = apiClient(stack.apiUrl, stack.adminToken);
    const target = apiClient(stack.targetUrl, stack.adminToken);
    const { org, appId, users } = await appWithUsersThroughRole(api, 500, 5);
    expect((await api('POST', `/api/apps/${appId}/tasks/approve-all`)).body.approved).toBe(500);

    const env = { PROVISIM_RETRY_BASE_MS: '50' };
    const first = await startStackWorker(stack, 'worker-1', env);
    expect((await apiClient(stack.apiUrl, null)('GET', '/api/health')).body.workers).toBe(1);
    let pushed = 0;
    for (let i = 0; i < 400 && pushed < 100; i++) {
      await new Promise((r) => setTimeout(r, 25));
      pushed = (await targetUserNames(target, org.orgId)).length;
    }
    const exit = await first.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const before = (await targetUserNames(target, org.orgId)).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(500);

    await startStackWorker(stack, 'worker-2', env);
    await waitIdle(api, appId, 90_000);
    const names = await targetUserNames(target, org.orgId);
    expect(names).toHaveLength(500);
    expect(new Set(names)).toEqual(new Set(users.map((u) => u.email)));
    const counts = (await api('GET', `/api/apps/${appId}`)).body.counts;
    expect(counts).toEqual({ assigned: 500, pending: 0, provisioned: 500, failed: 0 });
    const succeeded = (await api('GET', `/api/apps/${appId}/tasks?status=succeeded&limit=1000`)).body.items;
    expect(succeeded).toHaveLength(500);
  });

  it('SIGTERM drains: the worker process finishes its in-flight pushes, leaves none active, and exits 0', async () => {
    const stack = await startStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });
    stacks.push(stack);
    await waitHealthy(stack.apiUrl, 10_000);
    const api = apiClient(stack.apiUrl, stack.adminToken);
    const target = apiClient(stack.targetUrl, stack.adminToken);
    const { org, appId } = await appWithUsersThroughRole(api, 60, 100);
    await api('POST', `/api/apps/${appId}/tasks/approve-all`);

    const worker = await startStackWorker(stack, 'worker-term', { PROVISIM_WORKER_CONCURRENCY: '4' });
    const queue = new Queue(pushQueueName(appId), {
      connection: { url: stack.redisUrl },
      prefix: `${stack.keyPrefix}:bull`,
    });
    try {
      let active = 0;
      for (let i = 0; i < 200 && active === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        active = (await queue.getJobCounts('active')).active ?? 0;
      }
      expect(active).toBeGreaterThan(0);
      const exit = await worker.kill('SIGTERM');
      expect(exit.code).toBe(0);
      expect((await queue.getJobCounts('active')).active).toBe(0);
      const done = (await targetUserNames(target, org.orgId)).length;
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(60);
      const succeeded = (await api('GET', `/api/apps/${appId}/tasks?status=succeeded&limit=1000`)).body.items;
      expect(succeeded).toHaveLength(done);
    } finally {
      await queue.close();
    }
  });

  it('the embedded Redis restarted: pending approvals and the provisioning log are intact, then pushes resume', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'provisim-restart-'));
    const logger = createLogger('restart-redis', 'warn');
    const port = await freeLoopbackPort();
    let redis = await startEmbeddedRedis({ dataDir, appendfsync: 'always', logger, port });
    const stack = await startStack({ env: { REDIS_URL: redis.url } });
    await waitHealthy(stack.apiUrl, 10_000);
    stacks.push(stack);
    const api = apiClient(stack.apiUrl, stack.adminToken);
    const target = apiClient(stack.targetUrl, stack.adminToken);
    const { org, appId } = await setUpAppOnNewOrg(api);
    const users = await Promise.all(
      [1, 2, 3].map(async () => (await api('POST', '/api/users', buildUser())).body),
    );
    for (const user of users) await api('POST', `/api/apps/${appId}/users`, { userId: user.id });
    const pendingBefore = (await api('GET', `/api/apps/${appId}/tasks?status=pending`)).body.items;
    const logBefore = (await api('GET', `/api/provisioning-log?appId=${appId}`)).body.items;
    expect(pendingBefore).toHaveLength(3);

    await redis.stop();
    const down = await apiClient(stack.apiUrl, null)('GET', '/api/health');
    expect(down.status).toBe(503);
    expect((await api('GET', `/api/apps/${appId}`)).status).toBe(503);
    redis = await startEmbeddedRedis({ dataDir, appendfsync: 'always', logger, port });
    try {
      await waitHealthy(stack.apiUrl, 10_000);
      expect((await api('GET', `/api/apps/${appId}/tasks?status=pending`)).body.items).toEqual(pendingBefore);
      expect((await api('GET', `/api/provisioning-log?appId=${appId}`)).body.items).toEqual(logBefore);
      expect((await api('POST', `/api/apps/${appId}/tasks/approve-all`)).body.approved).toBe(3);
      await waitIdle(api, appId);
      expect(new Set(await targetUserNames(target, org.orgId))).toEqual(new Set(users.map((u) => u.email)));
    } finally {
      stacks.pop();
      await stack.stop();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
