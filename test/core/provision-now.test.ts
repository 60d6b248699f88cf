import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { targetUsers } from '../support/target-org.ts';

type Step = { status: string; message: string; request?: { method: string; url: string } };
const calls = (steps: Step[]) =>
  steps.filter((s) => s.request).map((s) => `${s.request?.method} ${new URL(s.request?.url ?? '').pathname}`);

describe('Provision on demand: one user pushed now, its steps in the answer and in the log', () => {
  const { api, target } = useStack();

  it('approves the pending create as the caller, pushes it and answers lookup, create and outcome', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api);
    const user = await api.ok('POST', '/api/users', buildUser());
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);
    expect(await targetUsers(target, org.orgId)).toEqual([]);

    const created = await api.ok('POST', `/api/apps/${appId}/users/${user.id}/provision-now`);
    expect(created).toMatchObject({
      outcome: 'succeeded',
      task: { action: 'create', status: 'succeeded', decidedBy: 'admin (provision on demand)' },
    });
    const path = new URL(org.scimBaseUrl).pathname;
    expect(calls(created.steps)).toEqual([`GET ${path}/Users`, `POST ${path}/Users`]);
    expect(created.steps.map((s: Step) => s.status)).toContain('approved');
    expect(created.steps.at(-1)).toMatchObject({ status: 'succeeded' });

    const scim = apiClient(org.scimBaseUrl, org.token);
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${user.email}"`)}`);
    expect(found.body.Resources).toEqual([
      expect.objectContaining({
        userName: user.email,
        displayName: `${user.firstname} ${user.lastname}`,
        active: true,
      }),
    ]);

    // A directory change: the pending update is approved and pushed at once.
    await api.ok('PATCH', `/api/users/${user.id}`, { firstname: 'Grace' });
    const updated = await api.ok('POST', `/api/apps/${appId}/users/${user.id}/provision-now`);
    expect(updated).toMatchObject({ outcome: 'succeeded', task: { action: 'update' } });
    const scimId = found.body.Resources[0].id;
    expect((await scim('GET', `/Users/${scimId}`)).body.displayName).toBe(`Grace ${user.lastname}`);

    // Nothing to change: no task, no call.
    expect(await api.ok('POST', `/api/apps/${appId}/users/${user.id}/provision-now`)).toEqual({
      outcome: 'unchanged',
      task: null,
      steps: [],
    });
    const log = await api.ok('GET', `/api/provisioning-log?appId=${appId}&userId=${user.id}&limit=100`);
    expect(
      log.items.filter((e: { actor?: string }) => e.actor === 'admin (provision on demand)'),
    ).toHaveLength(2);
    await waitIdle(api, appId);
  });

  it('goes ahead of users already waiting in the queue', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: false, update: false, delete: false },
    });
    const app = await api.ok('GET', `/api/apps/${appId}`);
    await api.ok('PUT', `/api/apps/${appId}/provisioning`, {
      ...app.provisioning,
      concurrency: 1,
    });
    await target.ok('PUT', `/target-api/orgs/${org.orgId}/faults`, { latencyMs: 150 });
    const users = await Promise.all(
      Array.from({ length: 10 }, () => api.ok('POST', '/api/users', buildUser())),
    );
    for (const user of users) await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);
    const last = users.at(-1);
    const now = await api.ok('POST', `/api/apps/${appId}/users/${last.id}/provision-now`);
    expect(now).toMatchObject({ outcome: 'succeeded', task: { action: 'create', decidedBy: 'auto' } });
    // Pushed while most of those assigned before it were still waiting.
    const onTarget = (await targetUsers(target, org.orgId)).map((u) => u.userName);
    expect(onTarget).toContain(last.email);
    expect(onTarget.length).toBeLessThan(users.length);
    await waitIdle(api, appId);
    expect(await targetUsers(target, org.orgId)).toHaveLength(users.length);
  });

  it('answers 404 for an unknown user and 400 naming the field for a bad body', async () => {
    const { appId } = await setUpAppOnNewOrg(api);
    expect((await api('POST', `/api/apps/${appId}/users/nobody/provision-now`)).status).toBe(404);
    const user = await api.ok('POST', '/api/users', buildUser());
    const bad = await api('POST', `/api/apps/${appId}/users/${user.id}/provision-now`, { timeoutMs: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message + JSON.stringify(bad.body.error)).toContain('body.timeoutMs');
  });
});
