import { describe, expect, it } from 'vitest';
import { createUsers, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { targetUsers } from '../support/target-org.ts';

describe('a plan before every bulk change: Bulk approve and Reapply Mappings apply exactly the plan shown', () => {
  const { api, target } = useStack();

  it('shows each pending push with its attribute changes, refuses a stale plan with 409, applies the current one', async () => {
    const { appId } = await setUpAppOnNewOrg(api);
    const assign = async (firstname: string, lastname: string) => {
      const user = await api.ok('POST', '/api/users', {
        firstname,
        lastname,
        email: `${firstname.toLowerCase()}@plans.example`,
      });
      await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
      return user.id as string;
    };
    const ada = await assign('Ada', 'Lovelace');
    await assign('Alan', 'Turing');

    const plan = await api.ok('GET', `/api/apps/${appId}/plans/approve-all`);
    expect(plan).toMatchObject({ kind: 'approve-all', total: 2, truncated: false });
    expect(plan.counts).toEqual({ creates: 2, updates: 0, removals: 0 });
    const adaItem = plan.items.find((item: { userId: string }) => item.userId === ada);
    expect(adaItem).toMatchObject({ email: 'ada@plans.example', name: 'Ada Lovelace', action: 'create' });
    expect(adaItem.changes).toContainEqual({ attribute: 'userName', from: null, to: 'ada@plans.example' });

    // Another assignment lands between showing the plan and confirming it: the shown plan is refused.
    await assign('Grace', 'Hopper');
    const stale = await api('POST', `/api/apps/${appId}/plans/approve-all/apply`, { planId: plan.planId });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('plan_changed');
    expect(stale.body.error.details.counts).toEqual({ creates: 3, updates: 0, removals: 0 });
    expect((await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items).toHaveLength(3);

    const current = await api.ok('GET', `/api/apps/${appId}/plans/approve-all`);
    expect(current.planId).toBe(stale.body.error.details.planId);
    const applied = await api.ok('POST', `/api/apps/${appId}/plans/approve-all/apply`, {
      planId: current.planId,
    });
    expect(applied).toEqual({ kind: 'approve-all', planId: current.planId, queued: 3, pending: 0 });
    await waitIdle(api, appId);
    expect((await api.ok('GET', `/api/apps/${appId}`)).counts).toMatchObject({ provisioned: 3, pending: 0 });

    // Reapply: only what the mapping now changes, old → new.
    await api.ok('PATCH', `/api/users/${ada}`, { lastname: 'King' });
    await waitIdle(api, appId);
    const pendingUpdate = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    await api.ok('POST', `/api/apps/${appId}/tasks/${pendingUpdate[0].id}/deny`, {});
    const reapply = await api.ok('GET', `/api/apps/${appId}/plans/reapply`);
    expect(reapply.counts).toEqual({ creates: 0, updates: 1, removals: 0 });
    expect(reapply.items[0].changes).toContainEqual({
      attribute: 'displayName',
      from: 'Ada Lovelace',
      to: 'Ada King',
    });
    const reapplied = await api.ok('POST', `/api/apps/${appId}/plans/reapply/apply`, {
      planId: reapply.planId,
    });
    expect(reapplied).toMatchObject({ kind: 'reapply', queued: 0, pending: 1 });
  });

  it('applies an approve-all plan of 5,000 tasks as one bulk approval: every task of the plan approved once and pushed', async () => {
    const USERS = 5000;
    const { org, appId } = await setUpAppOnNewOrg(api);
    const userIds = await createUsers(api, USERS, 'plan-scale');
    const role = await api.ok('POST', '/api/roles', { name: 'Everyone' });
    await api.ok('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
    await api.ok('PUT', `/api/roles/${role.id}/users`, { userIds });

    const plan = await api.ok('GET', `/api/apps/${appId}/plans/approve-all`);
    expect(plan).toMatchObject({ total: USERS, truncated: true, counts: { creates: USERS } });
    const applied = await api.ok('POST', `/api/apps/${appId}/plans/approve-all/apply`, {
      planId: plan.planId,
    });
    expect(applied).toEqual({ kind: 'approve-all', planId: plan.planId, queued: USERS, pending: 0 });
    // The approval is staged as one batch: nothing of the plan is pending any more, whatever has materialised.
    expect((await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items).toEqual([]);

    await waitIdle(api, appId, 600_000);
    expect((await api.ok('GET', `/api/apps/${appId}`)).counts).toMatchObject({
      assigned: USERS,
      pending: 0,
      provisioned: USERS,
      failed: 0,
    });
    // One approval per task, by the admin who applied the plan.
    const summary = await api.ok('GET', `/api/provisioning-log/summary?appId=${appId}&status=approved`);
    expect(summary).toMatchObject({ pushes: USERS, complete: true });
    const remote = await targetUsers(target, org.orgId);
    expect(new Set(remote.map((user) => user.userName)).size).toBe(USERS);
  }, 900_000);

  it('refuses a plan id that is not one, naming the field', async () => {
    const { appId } = await setUpAppOnNewOrg(api);
    const reply = await api('POST', `/api/apps/${appId}/plans/reapply/apply`, { planId: 'x' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain('planId');
    expect((await api('GET', `/api/apps/${appId}/plans/everything`)).status).toBe(400);
  });
});
