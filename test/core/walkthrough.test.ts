import { describe, expect, it } from 'vitest';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';

describe('walkthrough: Calendly app on the built-in target', () => {
  const { api, target } = useStack();

  it('configures, assigns, approves and the user appears on the target with userName = email', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api);
    const app = await api('GET', `/api/apps/${appId}`);
    expect(app.body.configuration.apiConnection).toBe('enabled');
    expect(app.body.configuration.scimBearerToken).toBe(`••••${org.token.slice(-4)}`);

    const user = (await api('POST', '/api/users', buildUser())).body;
    expect((await api('POST', `/api/apps/${appId}/users`, { userId: user.id })).status).toBe(201);

    const pending = await api('GET', `/api/apps/${appId}/tasks?status=pending`);
    expect(pending.body.items).toHaveLength(1);
    const task = pending.body.items[0];
    expect(task).toMatchObject({ action: 'create', status: 'pending', userId: user.id });
    expect(task.preview).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: user.email,
      displayName: `${user.firstname} ${user.lastname}`,
      active: true,
      externalId: user.id,
    });
    expect(
      (await api('GET', `/api/apps/${appId}/users?state=pending`)).body.items.map(
        (u: { userId: string }) => u.userId,
      ),
    ).toEqual([user.id]);
    const before = await target('POST', `/target-api/orgs/${org.orgId}/login`, { userName: user.email });
    expect(before.status).toBe(403);

    const approved = await api('POST', `/api/apps/${appId}/tasks/${task.id}/approve`);
    expect(approved.body).toMatchObject({ status: 'queued', decidedBy: 'admin' });
    await waitIdle(api, appId);

    const onTarget = (await target('GET', `/target-api/orgs/${org.orgId}/users`)).body.items;
    expect(onTarget).toHaveLength(1);
    expect(onTarget[0]).toMatchObject({ userName: user.email, active: true });
    const appUser = (await api('GET', `/api/apps/${appId}/users/${user.id}`)).body;
    expect(appUser).toMatchObject({
      state: 'provisioned',
      externalId: onTarget[0].scimId,
      pendingTaskId: null,
    });
    expect((await api('GET', `/api/apps/${appId}/tasks/`)).body.items[0].status).toBe('succeeded');
    expect((await api('GET', `/api/apps/${appId}`)).body.counts).toEqual({
      assigned: 1,
      pending: 0,
      provisioned: 1,
      failed: 0,
    });

    const log = (await api('GET', `/api/provisioning-log?appId=${appId}&userId=${user.id}`)).body.items;
    const statuses = log.map((e: { status: string }) => e.status).reverse();
    expect(statuses.slice(0, 3)).toEqual(['pending_approval', 'approved', 'queued']);
    expect(statuses.at(-1)).toBe('succeeded');
    const post = log.find((e: { request?: { method: string } }) => e.request?.method === 'POST');
    expect(post).toMatchObject({ attempt: 1, response: { status: 201 } });
    expect(post.request.body.userName).toBe(user.email);
    expect(log.find((e: { status: string }) => e.status === 'approved').actor).toBe('admin');
  });
});
