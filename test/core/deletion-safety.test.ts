import { describe, expect, it } from 'vitest';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { targetUsers } from '../support/target-org.ts';

const NO_APPROVALS = { create: false, update: false, delete: false } as const;

describe('Deletion safety: the accidental-deletion threshold holds deprovisions until Allow', () => {
  const { api, target } = useStack();

  /** An app pushing without approval, deleting on unassign, with a threshold; `count` users on the target through a role. */
  const setUp = async (threshold: number, count: number) => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: NO_APPROVALS,
      onDelete: 'delete',
    });
    const app = await api.ok('PUT', `/api/apps/${appId}/deletion-safety`, {
      enabled: true,
      threshold,
      windowSeconds: 3600,
    });
    expect(app).toMatchObject({ deletionSafety: { threshold }, deletionHold: null });
    const users = await Promise.all(
      Array.from({ length: count }, () => api.ok('POST', '/api/users', buildUser())),
    );
    const role = await api.ok('POST', '/api/roles', { name: `role-${appId}` });
    await api.ok('PUT', `/api/roles/${role.id}/users`, { userIds: users.map((u) => u.id) });
    await api.ok('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
    await waitIdle(api, appId);
    expect(await targetUsers(target, org.orgId)).toHaveLength(count);
    return { appId, orgId: org.orgId, roleId: role.id as string, users };
  };

  it('more deprovisions than the threshold are held, nothing is deleted until Allow names the right count', async () => {
    const { appId, orgId, roleId, users } = await setUp(2, 3);
    const extra = await api.ok('POST', '/api/users', buildUser());
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: extra.id }, [201]);
    await waitIdle(api, appId);

    // The role loses the app: three deletes in one step, more than 2.
    await api.ok('PUT', `/api/roles/${roleId}/apps`, { appIds: [] });
    await waitIdle(api, appId);
    expect((await api.ok('GET', `/api/apps/${appId}`)).deletionHold).toMatchObject({ count: 3 });
    expect(await targetUsers(target, orgId)).toHaveLength(4);
    // Held from now on: a further unassign joins the hold.
    await api.ok('DELETE', `/api/apps/${appId}/users/${extra.id}`, undefined, [204]);
    await waitIdle(api, appId);
    const hold = await api.ok('GET', `/api/apps/${appId}/deletion-hold`);
    expect(hold).toMatchObject({ active: true, count: 4 });
    expect(hold.tasks.every((t: { action: string; held: boolean }) => t.action === 'delete' && t.held)).toBe(
      true,
    );
    expect(await targetUsers(target, orgId)).toHaveLength(4);
    // Bulk approval does not bypass the hold.
    expect((await api('POST', `/api/apps/${appId}/tasks/approve-all`)).status).toBe(409);

    const stale = await api('POST', `/api/apps/${appId}/deletion-hold/allow`, { count: 3 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'deletion_hold_count_changed', details: { count: 4 } });
    expect(await targetUsers(target, orgId)).toHaveLength(4);
    const badBody = await api('POST', `/api/apps/${appId}/deletion-hold/allow`, { count: 'four' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.details).toBeDefined();
    expect(JSON.stringify(badBody.body.error)).toContain('body.count');

    expect(await api.ok('POST', `/api/apps/${appId}/deletion-hold/allow`, { count: 4 })).toEqual({
      allowed: 4,
    });
    await waitIdle(api, appId);
    expect(await targetUsers(target, orgId)).toEqual([]);
    expect((await api.ok('GET', `/api/apps/${appId}`)).deletionHold).toBeNull();

    const log = await api.ok('GET', `/api/provisioning-log?appId=${appId}&userId=${users[0].id}&limit=50`);
    const messages = log.items.map((e: { status: string; message: string }) => `${e.status}: ${e.message}`);
    expect(messages.some((m: string) => m.startsWith('pending_approval: Held by deletion safety'))).toBe(
      true,
    );
    expect(
      messages.some((m: string) => m.startsWith('approved: Approved by admin (deletion hold: Allow 4)')),
    ).toBe(true);
    expect(messages.some((m: string) => m.startsWith('succeeded'))).toBe(true);
  });

  it('Reject denies the held deprovisions: the accounts stay and the hold ends', async () => {
    const { appId, orgId, roleId } = await setUp(1, 2);
    await api.ok('PUT', `/api/roles/${roleId}/apps`, { appIds: [] });
    await waitIdle(api, appId);
    expect(await api.ok('POST', `/api/apps/${appId}/deletion-hold/reject`, { count: 2 })).toEqual({
      rejected: 2,
    });
    await waitIdle(api, appId);
    expect(await targetUsers(target, orgId)).toHaveLength(2);
    expect((await api.ok('GET', `/api/apps/${appId}/deletion-hold`)).active).toBe(false);
    expect((await api('POST', `/api/apps/${appId}/deletion-hold/allow`, { count: 0 })).status).toBe(409);
  });

  it('at or below the threshold the deprovisions are pushed at once', async () => {
    const { appId, orgId, roleId } = await setUp(3, 3);
    await api.ok('PUT', `/api/roles/${roleId}/apps`, { appIds: [] });
    await waitIdle(api, appId);
    expect(await targetUsers(target, orgId)).toEqual([]);
    expect((await api.ok('GET', `/api/apps/${appId}`)).deletionHold).toBeNull();
  });

  it('the setting is validated and cannot be turned off while deprovisions are held', async () => {
    const { appId, roleId } = await setUp(0, 1);
    const bad = await api('PUT', `/api/apps/${appId}/deletion-safety`, {
      enabled: true,
      threshold: -1,
      windowSeconds: 60,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('body.threshold');
    await api.ok('PUT', `/api/roles/${roleId}/apps`, { appIds: [] });
    await waitIdle(api, appId);
    const off = await api('PUT', `/api/apps/${appId}/deletion-safety`, {
      enabled: false,
      threshold: 0,
      windowSeconds: 60,
    });
    expect(off.status).toBe(409);
  });
});
