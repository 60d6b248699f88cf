import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/src/config/env.ts';
import { expectExactlyOnce } from '../support/expectations.ts';
import {
  APPROVE_DELETES_ONLY,
  assignNewUsers,
  setUpAppOnNewOrg,
  useStack,
  waitForEvents,
  waitIdle,
} from '../support/factories.ts';
import { targetUsers, throughOrigin } from '../support/target-org.ts';
import { useTargetProxy } from '../support/target-proxy.ts';

const HUNG_USERS = 4;
const OTHER_USERS = 20;

describe('fault 3: the target hangs without answering', () => {
  const { api, stack } = useStack({
    env: { PROVISIM_SCIM_TIMEOUT_MS: '400', PROVISIM_PUSH_ATTEMPTS: '12', PROVISIM_RETRY_BASE_MS: '50' },
  });
  const proxy = useTargetProxy(stack);

  it('gives a target 30 s by default', () => {
    expect(loadConfig({}).PROVISIM_SCIM_TIMEOUT_MS).toBe(30_000);
  });

  it('times the request out, retries it, and keeps pushing other work meanwhile', async () => {
    const { org: hungOrg, appId: hungApp } = await setUpAppOnNewOrg(api, {
      via: (scimBaseUrl) => throughOrigin(scimBaseUrl, proxy().url),
      requireApproval: APPROVE_DELETES_ONLY,
    });
    const { org: liveOrg, appId: liveApp } = await setUpAppOnNewOrg(api, {
      requireApproval: APPROVE_DELETES_ONLY,
    });

    await proxy().setMode('hang');
    await assignNewUsers(api, hungApp, HUNG_USERS, 'hung');
    const timeouts = await waitForEvents(api, `appId=${hungApp}&status=retrying`, HUNG_USERS);
    for (const event of timeouts) expect(event.message).toMatch(/time(d)?[ -]?out/i);

    // While every push of the hung app is stuck on the target, the other app's pushes go through.
    await assignNewUsers(api, liveApp, OTHER_USERS, 'live');
    await waitIdle(api, liveApp, 40_000);
    expectExactlyOnce(
      await targetUsers(api, liveOrg.orgId),
      Array.from({ length: OTHER_USERS }, (_, i) => `live-${i}@example.com`),
    );
    expect(proxy().mode()).toBe('hang');
    expect(await api.all(`/api/apps/${hungApp}/users?state=provisioned`)).toEqual([]);

    await proxy().setMode('forward');
    await waitIdle(api, hungApp, 40_000);
    expectExactlyOnce(
      await targetUsers(api, hungOrg.orgId),
      Array.from({ length: HUNG_USERS }, (_, i) => `hung-${i}@example.com`),
    );
    expect((await api.all(`/api/apps/${hungApp}/users?state=provisioned`)).length).toBe(HUNG_USERS);
    expect(await api.all(`/api/provisioning-log?appId=${hungApp}&status=failed`)).toEqual([]);
  });
});
