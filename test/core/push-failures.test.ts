import { describe, expect, it } from 'vitest';
import {
  buildUser,
  type NewOrgAppSetup,
  setUpAppOnNewOrg,
  useStack,
  waitIdle,
} from '../support/factories.ts';

type LogEvent = {
  status: string;
  attempt?: number;
  message: string;
  response?: { status: number; body?: unknown };
};

describe('push failures: retry, permanent failure, quarantine', () => {
  const { api, target } = useStack({ env: { PROVISIM_PUSH_ATTEMPTS: '4' } });

  const autoApprove = { requireApproval: { create: false, update: false, delete: false } };
  async function newApp(setup: NewOrgAppSetup = {}) {
    const { org, appId } = await setUpAppOnNewOrg(api, { ...autoApprove, ...setup });
    const targetUsers = async () => (await target('GET', `/target-api/orgs/${org.orgId}/users`)).body.items;
    return { appId, org, targetUsers };
  }
  const logOf = async (appId: string, userId: string): Promise<LogEvent[]> =>
    (
      await api('GET', `/api/provisioning-log?appId=${appId}&userId=${userId}&limit=200`)
    ).body.items.reverse();

  it('a target that answers 503 twice then succeeds: retrying, retrying, then succeeded', async () => {
    const { appId, org, targetUsers } = await newApp();
    await target('PUT', `/target-api/orgs/${org.orgId}/faults`, { failNext: [{ status: 503, count: 2 }] });
    const user = (await api('POST', '/api/users', buildUser())).body;
    await api('POST', `/api/apps/${appId}/users`, { userId: user.id });
    await waitIdle(api, appId);
    expect((await targetUsers()).map((u: { userName: string }) => u.userName)).toEqual([user.email]);
    const log = await logOf(appId, user.id);
    const outcomes = log.filter((e) => e.status === 'retrying' && !e.response).map((e) => e.attempt);
    expect(outcomes).toEqual([1, 2]);
    expect(log.filter((e) => e.response?.status === 503)).toHaveLength(2);
    expect(log.at(-1)).toMatchObject({ status: 'succeeded', attempt: 3 });
    const [task] = (await api('GET', `/api/apps/${appId}/tasks`)).body.items;
    expect(task.status).toBe('succeeded');
  });

  it('a 400 fails at once with the target error shown; retry after the target is fixed succeeds', async () => {
    const { appId, org, targetUsers } = await newApp({
      connector: 'scim-generic',
      orgSettings: { strictAttributes: true },
    });
    const user = (await api('POST', '/api/users', buildUser())).body;
    await api('POST', `/api/apps/${appId}/users`, { userId: user.id });
    await waitIdle(api, appId);
    expect(await targetUsers()).toEqual([]);
    const [task] = (await api('GET', `/api/apps/${appId}/tasks`)).body.items;
    expect(task.status).toBe('failed');
    const post = (await logOf(appId, user.id)).find((e) => e.response?.status === 400);
    expect(post?.status).toBe('failed');
    expect(task.error).toBeTruthy();
    const detail = JSON.stringify(post?.response?.body);
    expect(detail.length).toBeGreaterThan(2);
    const appUser = (await api('GET', `/api/apps/${appId}/users/${user.id}`)).body;
    expect(appUser).toMatchObject({ state: 'failed', lastError: task.error });
    expect((await api('GET', `/api/apps/${appId}`)).body.counts.failed).toBe(1);
    expect((await logOf(appId, user.id)).filter((e) => e.status === 'retrying')).toEqual([]);
    // The lookup that found nothing is a lookup, not a success of the create that then failed.
    const steps = await logOf(appId, user.id);
    expect(steps.filter((e) => e.status === 'succeeded')).toEqual([]);
    expect(steps.filter((e) => e.status === 'looked_up').map((e) => e.message)).toEqual([
      expect.stringMatching(/^Lookup GET .*\/Users\?filter=.* → 200: no match$/),
    ]);

    await target('PUT', `/target-api/orgs/${org.orgId}/settings`, { strictAttributes: false });
    expect((await api('POST', `/api/apps/${appId}/tasks/${task.id}/retry`)).body.status).toBe('queued');
    await waitIdle(api, appId);
    expect(await targetUsers()).toHaveLength(1);
    expect((await api('GET', `/api/apps/${appId}/users/${user.id}`)).body.state).toBe('provisioned');
  });

  it('a 401 quarantines the app (nothing dropped) until Enable succeeds with a valid token', async () => {
    const { appId, org, targetUsers } = await newApp();
    const fresh = await target('POST', `/target-api/orgs/${org.orgId}/tokens`, { lifetimeDays: 30 });
    const users = await Promise.all(
      [1, 2, 3].map(async () => (await api('POST', '/api/users', buildUser())).body),
    );
    for (const user of users) await api('POST', `/api/apps/${appId}/users`, { userId: user.id });

    let app = (await api('GET', `/api/apps/${appId}`)).body;
    for (let i = 0; i < 100 && !app.quarantine; i++) {
      await new Promise((r) => setTimeout(r, 50));
      app = (await api('GET', `/api/apps/${appId}`)).body;
    }
    expect(app.quarantine?.reason).toContain('401');
    expect((await api('GET', `/api/apps/${appId}/idle?timeoutMs=300`)).body).toEqual({ idle: false });
    expect(await targetUsers()).toEqual([]);

    expect((await api('POST', `/api/apps/${appId}/configuration/enable`)).status).toBe(422);
    expect((await api('GET', `/api/apps/${appId}`)).body.configuration.apiConnection).toBe('error');
    await api('PUT', `/api/apps/${appId}/configuration`, {
      scimBaseUrl: org.scimBaseUrl,
      scimBearerToken: fresh.body.token,
    });
    const enabled = await api('POST', `/api/apps/${appId}/configuration/enable`);
    expect(enabled.body).toMatchObject({ quarantine: null, configuration: { apiConnection: 'enabled' } });
    await waitIdle(api, appId);
    expect(new Set((await targetUsers()).map((u: { userName: string }) => u.userName))).toEqual(
      new Set(users.map((u) => u.email)),
    );
  });
  it('an app that fails most of a large batch is quarantined until Enable succeeds', async () => {
    const { appId, org, targetUsers } = await newApp({
      connector: 'scim-generic',
      orgSettings: { strictAttributes: true },
    });
    const users = await Promise.all(
      Array.from({ length: 70 }, async () => (await api('POST', '/api/users', buildUser())).body),
    );
    const role = (await api('POST', '/api/roles', { name: 'batch' })).body;
    await api('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
    await api('PUT', `/api/roles/${role.id}/users`, { userIds: users.map((u: { id: string }) => u.id) });
    let app = (await api('GET', `/api/apps/${appId}`)).body;
    for (let i = 0; i < 200 && !app.quarantine; i++) {
      await new Promise((r) => setTimeout(r, 50));
      app = (await api('GET', `/api/apps/${appId}`)).body;
    }
    expect(app.quarantine?.reason).toMatch(/of the last \d+ pushes failed/);
    expect(app.counts.failed).toBeGreaterThanOrEqual(50);
    expect((await api('GET', `/api/apps/${appId}/idle?timeoutMs=200`)).body.idle).toBe(false);

    await target('PUT', `/target-api/orgs/${org.orgId}/settings`, { strictAttributes: false });
    expect((await api('POST', `/api/apps/${appId}/configuration/enable`)).body.quarantine).toBeNull();
    await waitIdle(api, appId);
    const failed = (await api('GET', `/api/apps/${appId}`)).body.counts.failed;
    expect(await targetUsers()).toHaveLength(70 - failed);
  });
});
