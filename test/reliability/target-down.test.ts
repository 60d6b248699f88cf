import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { expectExactlyOnce } from '../support/expectations.ts';
import {
  assignUsers,
  createTargetOrg,
  createUsers,
  setUpApp,
  waitForEvents,
  waitHealthy,
  waitIdle,
} from '../support/factories.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { targetUsers, throughOrigin } from '../support/target-org.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const USERS = 1000;

describe('fault 1: the target refuses connections for a while during a bulk push', () => {
  let stack: TestStack;
  let proxy: TcpProxy;

  beforeAll(async () => {
    stack = await startStack({ env: { PROVISIM_PUSH_ATTEMPTS: '20', PROVISIM_RETRY_BASE_MS: '50' } });
    await waitHealthy(stack.apiUrl);
    const target = new URL(stack.targetUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  });

  afterAll(async () => {
    await proxy?.close();
    await stack?.stop();
  });

  it(`delivers every one of ${USERS} users exactly once, logging retrying then succeeded`, {
    timeout: 180_000,
  }, async () => {
    const api = apiClient(stack.apiUrl, stack.adminToken);
    const org = await createTargetOrg(api);
    const appId = await setUpApp(api, {
      scimBaseUrl: throughOrigin(org.scimBaseUrl, proxy.url),
      token: org.token,
      requireApproval: { create: true, update: false, delete: true },
    });
    const userIds = await createUsers(api, USERS, 'down');
    await assignUsers(api, appId, userIds);
    expect((await api.all(`/api/apps/${appId}/tasks?status=pending`)).length).toBe(USERS);

    await proxy.setMode('refuse');
    const { approved } = await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    expect(approved).toBe(USERS);
    // The outage lasts until pushes have met it: the log shows retries for a good share of the batch.
    await waitForEvents(api, `appId=${appId}&status=retrying`, 50);
    await proxy.setMode('forward');
    await waitIdle(api, appId, 120_000);

    const app = await api.ok('GET', `/api/apps/${appId}`);
    expect(app.quarantine).toBeNull();
    const users = await targetUsers(api, org.orgId);
    expectExactlyOnce(
      users,
      Array.from({ length: USERS }, (_, i) => `down-${i}@example.com`),
    );
    const provisioned = await api.all(`/api/apps/${appId}/users?state=provisioned`);
    expect(provisioned.length).toBe(USERS);
    expect((await api.all(`/api/apps/${appId}/tasks?status=succeeded`)).length).toBe(USERS);

    const retrying = await api.all(`/api/provisioning-log?appId=${appId}&status=retrying`);
    const succeeded = await api.all(`/api/provisioning-log?appId=${appId}&status=succeeded`);
    const succeededAt = new Map(succeeded.map((e) => [e.userId, Date.parse(e.at)]));
    expect(succeededAt.size).toBe(USERS);
    expect(retrying.length).toBeGreaterThanOrEqual(50);
    for (const event of retrying) {
      expect(event.message).toMatch(/refused|unreachable|ECONNREFUSED|connect/i);
      expect(succeededAt.get(event.userId)).toBeGreaterThanOrEqual(Date.parse(event.at));
    }
    expect(await api.all(`/api/provisioning-log?appId=${appId}&status=failed`)).toEqual([]);
  });
});
