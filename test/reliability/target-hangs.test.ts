import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/src/config/env.ts';
import { apiClient } from '../support/api-client.ts';
import { expectExactlyOnce } from '../support/expectations.ts';
import {
  APPROVE_DELETES_ONLY,
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

const HUNG_USERS = 4;
const OTHER_USERS = 20;

describe('fault 3: the target hangs without answering', () => {
  let stack: TestStack;
  let proxy: TcpProxy;

  beforeAll(async () => {
    stack = await startStack({
      env: { PROVISIM_SCIM_TIMEOUT_MS: '400', PROVISIM_PUSH_ATTEMPTS: '12', PROVISIM_RETRY_BASE_MS: '50' },
    });
    await waitHealthy(stack.apiUrl);
    const target = new URL(stack.targetUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  });

  afterAll(async () => {
    await proxy?.close();
    await stack?.stop();
  });

  it('gives a target 30 s by default', () => {
    expect(loadConfig({}).PROVISIM_SCIM_TIMEOUT_MS).toBe(30_000);
  });

  it('times the request out, retries it, and keeps pushing other work meanwhile', async () => {
    const api = apiClient(stack.apiUrl, stack.adminToken);
    const hungOrg = await createTargetOrg(api, { name: 'Hung Org' });
    const liveOrg = await createTargetOrg(api, { name: 'Live Org' });
    const hungApp = await setUpApp(api, {
      scimBaseUrl: throughOrigin(hungOrg.scimBaseUrl, proxy.url),
      token: hungOrg.token,
      requireApproval: APPROVE_DELETES_ONLY,
    });
    const liveApp = await setUpApp(api, {
      scimBaseUrl: liveOrg.scimBaseUrl,
      token: liveOrg.token,
      requireApproval: APPROVE_DELETES_ONLY,
    });

    await proxy.setMode('hang');
    await assignUsers(api, hungApp, await createUsers(api, HUNG_USERS, 'hung'));
    const timeouts = await waitForEvents(api, `appId=${hungApp}&status=retrying`, HUNG_USERS);
    for (const event of timeouts) expect(event.message).toMatch(/time(d)?[ -]?out/i);

    // While every push of the hung app is stuck on the target, the other app's pushes go through.
    await assignUsers(api, liveApp, await createUsers(api, OTHER_USERS, 'live'));
    await waitIdle(api, liveApp, 40_000);
    expectExactlyOnce(
      await targetUsers(api, liveOrg.orgId),
      Array.from({ length: OTHER_USERS }, (_, i) => `live-${i}@example.com`),
    );
    expect(proxy.mode()).toBe('hang');
    expect(await api.all(`/api/apps/${hungApp}/users?state=provisioned`)).toEqual([]);

    await proxy.setMode('forward');
    await waitIdle(api, hungApp, 40_000);
    expectExactlyOnce(
      await targetUsers(api, hungOrg.orgId),
      Array.from({ length: HUNG_USERS }, (_, i) => `hung-${i}@example.com`),
    );
    expect((await api.all(`/api/apps/${hungApp}/users?state=provisioned`)).length).toBe(HUNG_USERS);
    expect(await api.all(`/api/provisioning-log?appId=${hungApp}&status=failed`)).toEqual([]);
  });
});
