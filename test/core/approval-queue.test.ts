import { describe, expect, it } from 'vitest';
import {
  buildUser,
  type NewOrgAppSetup,
  setUpAppOnNewOrg,
  useStack,
  waitIdle,
} from '../support/factories.ts';

type TargetUser = { scimId: string; userName: string; active: boolean };

describe('approval queue and the tasks directory changes produce', () => {
  const { api, target } = useStack();

  async function newApp(setup: NewOrgAppSetup = {}) {
    const { org, appId } = await setUpAppOnNewOrg(api, setup);
    const targetUsers = async (): Promise<TargetUser[]> =>
      (await target('GET', `/target-api/orgs/${org.orgId}/users?limit=1000`)).body.items;
    return { appId, org, targetUsers };
  }
  const createUser = async (overrides = {}) => (await api('POST', '/api/users', buildUser(overrides))).body;
  const pendingTasks = async (appId: string) =>
    (await api('GET', `/api/apps/${appId}/tasks?status=pending&limit=1000`)).body.items;
  const assign = (appId: string, userId: string) => api('POST', `/api/apps/${appId}/users`, { userId });

  it('create approval off: assigning pushes at once; on: waits as pending until approved', async () => {
    const auto = await newApp({ requireApproval: { create: false, update: true, delete: true } });
    const user = await createUser();
    await assign(auto.appId, user.id);
    expect(await pendingTasks(auto.appId)).toEqual([]);
    await waitIdle(api, auto.appId);
    expect((await auto.targetUsers()).map((u) => u.userName)).toEqual([user.email]);

    const held = await newApp({ requireApproval: { create: true, update: false, delete: false } });
    await assign(held.appId, user.id);
    await waitIdle(api, held.appId);
    expect(await held.targetUsers()).toEqual([]);
    expect(await pendingTasks(held.appId)).toHaveLength(1);
  });

  it('update approval on/off: a mapped field change is an update task; an unmapped one is not', async () => {
    const { appId, org, targetUsers } = await newApp({
      requireApproval: { create: false, update: true, delete: true },
    });
    const user = await createUser();
    await assign(appId, user.id);
    await waitIdle(api, appId);

    await api('PATCH', `/api/users/${user.id}`, { title: 'Not mapped by the Calendly connector' });
    expect(await pendingTasks(appId)).toEqual([]);

    await api('PATCH', `/api/users/${user.id}`, { firstname: 'Augusta' });
    const [update] = await pendingTasks(appId);
    expect(update).toMatchObject({ action: 'update', preview: { displayName: `Augusta ${user.lastname}` } });
    await api('POST', `/api/apps/${appId}/tasks/${update.id}/approve`);
    await waitIdle(api, appId);
    const requests = (await target('GET', `/target-api/orgs/${org.orgId}/requests?limit=100`)).body.items;
    expect(requests.map((r: { method: string }) => r.method)).toContain('PUT');

    await api('PUT', `/api/apps/${appId}/provisioning`, {
      enabled: true,
      requireApproval: { create: false, update: false, delete: true },
      onDelete: 'suspend',
      onSuspend: 'suspend',
    });
    await api('PATCH', `/api/users/${user.id}`, { lastname: 'Byron' });
    expect(await pendingTasks(appId)).toEqual([]);
    await waitIdle(api, appId);
    const [remote] = await targetUsers();
    const detail = (await api('GET', `/api/apps/${appId}/users/${user.id}`)).body;
    expect(detail.desired.displayName).toBe('Augusta Byron');
    expect(remote?.userName).toBe(user.email);
    expect(detail.state).toBe('provisioned');
  });

  it('directory suspend and reactivate follow onSuspend and the update toggle', async () => {
    const { appId, targetUsers } = await newApp({
      requireApproval: { create: false, update: false, delete: true },
    });
    const user = await createUser();
    await assign(appId, user.id);
    await waitIdle(api, appId);
    await api('POST', `/api/users/${user.id}/suspend`);
    await waitIdle(api, appId);
    expect((await targetUsers())[0]?.active).toBe(false);
    expect((await api('GET', `/api/apps/${appId}/users/${user.id}`)).body.state).toBe('suspended');
    await api('POST', `/api/users/${user.id}/reactivate`);
    await waitIdle(api, appId);
    expect((await targetUsers())[0]?.active).toBe(true);
  });

  it('deny: the task is denied with its reason, nothing is pushed, the actor is logged', async () => {
    const { appId, targetUsers } = await newApp();
    const user = await createUser();
    await assign(appId, user.id);
    const [task] = await pendingTasks(appId);
    const denied = await api('POST', `/api/apps/${appId}/tasks/${task.id}/deny`, {
      reason: 'not a Calendly user',
    });
    expect(denied.body).toMatchObject({
      status: 'denied',
      reason: 'not a Calendly user',
      decidedBy: 'admin',
    });
    expect((await api('POST', `/api/apps/${appId}/tasks/${task.id}/approve`)).status).toBe(409);
    await waitIdle(api, appId);
    expect(await targetUsers()).toEqual([]);
    expect((await api('GET', `/api/apps/${appId}/users?state=denied`)).body.items[0].userId).toBe(user.id);
    const log = (await api('GET', `/api/provisioning-log?appId=${appId}&status=denied`)).body.items;
    expect(log[0]).toMatchObject({ taskId: task.id, actor: 'admin' });
    expect(log[0].message).toContain('not a Calendly user');
  });

  it('supersede: assign then unassign before approval pushes nothing; a newer update replaces a pending one', async () => {
    const { appId, targetUsers } = await newApp();
    const user = await createUser();
    await assign(appId, user.id);
    const [create] = await pendingTasks(appId);
    expect((await api('DELETE', `/api/apps/${appId}/users/${user.id}`)).status).toBe(204);
    expect(await pendingTasks(appId)).toEqual([]);
    const all = (await api('GET', `/api/apps/${appId}/tasks`)).body.items;
    expect(all.find((t: { id: string }) => t.id === create.id).status).toBe('superseded');
    expect((await api('POST', `/api/apps/${appId}/tasks/approve-all`)).body).toEqual({ approved: 0 });
    await waitIdle(api, appId);
    expect(await targetUsers()).toEqual([]);

    const other = await createUser();
    await assign(appId, other.id);
    await api('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);
    await api('PATCH', `/api/users/${other.id}`, { firstname: 'First' });
    await api('PATCH', `/api/users/${other.id}`, { firstname: 'Second' });
    const pending = await pendingTasks(appId);
    expect(pending).toHaveLength(1);
    expect(pending[0].preview.displayName).toBe(`Second ${other.lastname}`);
    await api('POST', `/api/apps/${appId}/tasks/${pending[0].id}/approve`);
    await waitIdle(api, appId);
    expect((await targetUsers()).map((u) => u.userName)).toEqual([other.email]);
  });

  it('bulk approves 200 pending users assigned through a role, each pushed once', async () => {
    const { appId, targetUsers } = await newApp();
    const users = await Promise.all(Array.from({ length: 200 }, () => createUser()));
    const role = (await api('POST', '/api/roles', { name: 'Calendly users' })).body;
    await api('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
    await api('PUT', `/api/roles/${role.id}/users`, { userIds: users.map((u) => u.id) });
    expect((await api('GET', `/api/apps/${appId}`)).body.counts).toMatchObject({
      assigned: 200,
      pending: 200,
    });
    expect((await api('POST', `/api/apps/${appId}/tasks/approve-all`)).body).toEqual({ approved: 200 });
    await waitIdle(api, appId, 60_000);
    const remote = await targetUsers();
    expect(remote).toHaveLength(200);
    expect(new Set(remote.map((u) => u.userName))).toEqual(new Set(users.map((u) => u.email)));
    expect((await api('GET', `/api/apps/${appId}`)).body.counts).toEqual({
      assigned: 200,
      pending: 0,
      provisioned: 200,
      failed: 0,
    });
    const page = await api('GET', `/api/apps/${appId}/users?state=provisioned&limit=150`);
    expect(page.body.items).toHaveLength(150);
    const rest = await api(
      'GET',
      `/api/apps/${appId}/users?state=provisioned&limit=150&cursor=${page.body.nextCursor}`,
    );
    expect(rest.body.items).toHaveLength(50);
  });

  it.each([
    ['delete', 0, undefined],
    ['suspend', 1, false],
    ['none', 1, true],
  ] as const)(
    'onDelete %s: unassigning leaves %i account(s) (active %s)',
    async (onDelete, count, active) => {
      const { appId, targetUsers } = await newApp({
        onDelete,
        requireApproval: { create: false, update: false, delete: false },
      });
      const user = await createUser();
      await assign(appId, user.id);
      await waitIdle(api, appId);
      expect(await targetUsers()).toHaveLength(1);
      await api('DELETE', `/api/apps/${appId}/users/${user.id}`);
      await waitIdle(api, appId);
      const remote = await targetUsers();
      expect(remote).toHaveLength(count);
      if (active !== undefined) expect(remote[0]?.active).toBe(active);
      const log = (await api('GET', `/api/provisioning-log?appId=${appId}&userId=${user.id}&limit=1`)).body
        .items;
      expect(log[0].status).toBe(onDelete === 'none' ? 'skipped' : 'succeeded');
    },
  );

  it('delete approval: deleting a user from the directory waits for approval of the deprovisioning suspend', async () => {
    const { appId, targetUsers } = await newApp({
      requireApproval: { create: false, update: false, delete: true },
    });
    const user = await createUser();
    await assign(appId, user.id);
    await waitIdle(api, appId);
    expect((await api('DELETE', `/api/users/${user.id}`)).status).toBe(204);
    const [task] = await pendingTasks(appId);
    expect(task).toMatchObject({ action: 'suspend', approvalKind: 'delete', preview: { active: false } });
    await api('POST', `/api/apps/${appId}/tasks/${task.id}/approve`);
    await waitIdle(api, appId);
    expect((await targetUsers())[0]?.active).toBe(false);
    expect((await api('GET', `/api/apps/${appId}`)).body.counts.assigned).toBe(0);
  });

  it('reapply mappings after changing SCIM Username updates every assigned user', async () => {
    const { appId, targetUsers } = await newApp({
      requireApproval: { create: false, update: true, delete: true },
    });
    const users = await Promise.all([createUser(), createUser(), createUser()]);
    for (const user of users) await assign(appId, user.id);
    await waitIdle(api, appId);
    expect((await api('POST', `/api/apps/${appId}/reapply-mappings`)).body).toEqual({
      queued: 0,
      pending: 0,
      unchanged: 3,
    });
    await api('PUT', `/api/apps/${appId}/parameters`, { scimUsername: 'username' });
    expect((await api('POST', `/api/apps/${appId}/reapply-mappings`)).body).toEqual({
      queued: 0,
      pending: 3,
      unchanged: 0,
    });
    expect((await api('POST', `/api/apps/${appId}/tasks/approve-all`)).body).toEqual({ approved: 3 });
    await waitIdle(api, appId);
    expect(new Set((await targetUsers()).map((u) => u.userName))).toEqual(
      new Set(users.map((u) => u.username)),
    );
  });
});
