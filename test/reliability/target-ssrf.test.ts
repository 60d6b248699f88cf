import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type TargetHarness } from '../scim-target/support/target-harness.ts';
import { type Api, apiClient } from '../support/api-client.ts';
import { expectContractError } from '../support/expectations.ts';
import {
  APPROVE_DELETES_ONLY,
  assignNewUsers,
  setUpApp,
  waitHealthy,
  waitIdle,
} from '../support/factories.ts';
import { uniquePrefix } from '../support/redis.ts';
import { startStack, type TestStack } from '../support/stack.ts';

/**
 * Apps set up while nothing forbade them, then provisim restarted under a stricter policy: one app on
 * 127.0.0.1 (outside the new allowlist), one on 0.0.0.0 (an unspecified address, which reaches this machine's
 * own listener on Linux, so a request that got through would show in the target's journal without leaving
 * the machine). Neither may push or enable again, and the target must see no request at all.
 */
describe('the target policy holds for apps configured before it was set', () => {
  const keyPrefix = uniquePrefix('ssrf');
  let target: TargetHarness;
  let stack: TestStack;
  let api: Api;
  let orgId: string;
  const apps: { viaLoopback: string; viaUnspecified: string } = { viaLoopback: '', viaUnspecified: '' };

  const journal = async () =>
    ((await target.adminOk('GET', `/orgs/${orgId}/requests?limit=1000`)).items as unknown[]).length;

  const run = async (env: Record<string, string>) => {
    const started = await startStack({
      env: { PROVISIM_KEY_PREFIX: keyPrefix, PROVISIM_START_TARGET: 'false', ...env },
    });
    await waitHealthy(started.apiUrl);
    return started;
  };

  beforeAll(async () => {
    target = await startTarget();
    const org = await target.newOrg();
    orgId = org.id;
    const port = new URL(target.baseUrl()).port;
    const before = await run({
      PROVISIM_ALLOW_LINK_LOCAL_TARGETS: 'true',
      PROVISIM_IN_PROCESS_WORKERS: 'false',
    });
    const setUp = (host: string) =>
      setUpApp(apiClient(before.apiUrl, before.adminToken), {
        scimBaseUrl: `http://${host}:${port}/scim/v2/${orgId}`,
        token: org.token,
        requireApproval: APPROVE_DELETES_ONLY,
      });
    apps.viaLoopback = await setUp('127.0.0.1');
    apps.viaUnspecified = await setUp('0.0.0.0');
    await before.stop();
    stack = await run({ PROVISIM_TARGET_ALLOWLIST: '0.0.0.0, *.scim.example.test' });
    api = apiClient(stack.apiUrl, stack.adminToken);
  });

  afterAll(async () => {
    await stack?.stop();
    await target?.close();
  });

  it('both apps reached the target while nothing forbade it (the Enable of each)', async () => {
    expect(await journal()).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['viaLoopback', '127.0.0.1', /PROVISIM_TARGET_ALLOWLIST/],
    ['viaUnspecified', '0.0.0.0', /unspecified address.*PROVISIM_ALLOW_LINK_LOCAL_TARGETS/],
  ] as const)(
    '%s: pushes fail naming %s, Enable is refused, and nothing reaches the target',
    async (app, host, why) => {
      const appId = apps[app];
      const seen = await journal();
      await assignNewUsers(api, appId, 2, `ssrf-${app}`);
      await waitIdle(api, appId);
      const users = await api.all(`/api/apps/${appId}/users`);
      expect(users.map((u) => u.state)).toEqual(['failed', 'failed']);
      for (const user of users) {
        expect(user.lastError).toContain(host);
        expect(user.lastError).toMatch(why);
      }
      const failed = await api.all(`/api/provisioning-log?appId=${appId}&status=failed`);
      expect(failed.some((e) => e.message.includes(host) && e.message.includes('(nothing was sent)'))).toBe(
        true,
      );

      const enable = await api('POST', `/api/apps/${appId}/configuration/enable`);
      expectContractError(enable, 400);
      expect(enable.body.error.details.field).toBe('configuration.scimBaseUrl');
      expect(enable.body.error.message).toContain(host);
      expect(enable.body.error.message).toMatch(why);
      expect((await api.ok('GET', `/api/apps/${appId}`)).configuration.apiConnection).toBe('error');

      expect(await journal()).toBe(seen);
    },
  );

  it('refuses to configure a reserved address in any spelling', async () => {
    const appId = (await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Metadata' })).id;
    for (const scimBaseUrl of [
      'http://0.0.0.0/scim/v2',
      'http://169.254.169.254/latest/meta-data',
      'http://2852039166/latest/meta-data',
      'http://0xa9fea9fe/latest/meta-data',
      'http://[::ffff:169.254.169.254]/latest/meta-data',
      'http://[fd00:ec2::254]/latest/meta-data',
      'http://[::]/scim/v2',
    ]) {
      const reply = await api('PUT', `/api/apps/${appId}/configuration`, {
        scimBaseUrl,
        scimBearerToken: 'x'.repeat(20),
      });
      expectContractError(reply, 400);
      expect(reply.body.error.details.field, scimBaseUrl).toBe('body.scimBaseUrl');
    }
  });
});
