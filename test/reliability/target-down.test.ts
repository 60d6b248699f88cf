import { describe, expect, it } from 'vitest';
import { expectExactlyOnce } from '../support/expectations.ts';
import { assignNewUsers, setUpAppOnNewOrg, useStack, waitForEvents, waitIdle } from '../support/factories.ts';
import { targetUsers, throughOrigin } from '../support/target-org.ts';
import { useTargetProxy } from '../support/target-proxy.ts';

const USERS = 1000;

describe('fault 1: the target refuses connections for a while during a bulk push', () => {
  const { api, stack } = useStack({ env: { PROVISIM_PUSH_ATTEMPTS: '20', PROVISIM_RETRY_BASE_MS: '50' } });
  const proxy = useTargetProxy(stack);

  it(`delivers every one of ${USERS} users exactly once, logging retrying then succeeded`, {
    timeout: 180_000,
  }, async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      via: (scimBaseUrl) => throughOrigin(scimBaseUrl, proxy().url),
      requireApproval: { create: true, update: false, delete: true },
    });
    await assignNewUsers(api, appId, USERS, 'down');
    expect((await api.all(`/api/apps/${appId}/tasks?status=pending`)).length).toBe(USERS);

    await proxy().setMode('refuse');
    const { approved } = await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    expect(approved).toBe(USERS);
    // The outage lasts until pushes have met it: the log shows retries for a good share of the batch.
    await waitForEvents(api, `appId=${appId}&status=retrying`, 50);
    await proxy().setMode('forward');
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
