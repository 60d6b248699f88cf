import { describe, expect, it } from 'vitest';
import type { Api } from '../support/api-client.ts';
import { buildUser, setUpApp, setUpDepartmentGroupsApp, useStack, waitIdle } from '../support/factories.ts';
import { useScimmyServer } from '../support/scimmy-server.ts';

type GroupView = { displayName: string; members: { userName: string | null }[] };

describe("a group a push leaves empty, per the app's empty groups setting", () => {
  const { api, target } = useStack();

  async function departmentApp(emptyGroups?: 'keep' | 'delete') {
    const { org, appId } = await setUpDepartmentGroupsApp(api, target);
    if (emptyGroups) {
      const app = await api.ok('GET', `/api/apps/${appId}`);
      await api.ok('PUT', `/api/apps/${appId}/provisioning`, { ...app.provisioning, emptyGroups });
    }
    const groups = async () =>
      Object.fromEntries(
        (await target.all<GroupView>(`/target-api/orgs/${org.orgId}/groups`)).map((g) => [
          g.displayName,
          g.members.map((m) => m.userName).sort(),
        ]),
      );
    return { appId, groups };
  }

  const assignIn = async (appId: string, department: string) => {
    const user = await api.ok('POST', '/api/users', buildUser({ department }));
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
    return user;
  };
  const moveTo = (client: Api, userId: string, department: string) =>
    client.ok('PATCH', `/api/users/${userId}`, { department });

  it('delete: the group goes when its last member leaves, and stays while it has members', async () => {
    const { appId, groups } = await departmentApp('delete');
    const ada = await assignIn(appId, 'Ops');
    const bob = await assignIn(appId, 'Ops');
    await waitIdle(api, appId);
    expect(await groups()).toEqual({ Ops: [ada.email, bob.email].sort() });

    await moveTo(api, ada.id, 'Sales');
    await waitIdle(api, appId);
    expect(await groups()).toEqual({ Ops: [bob.email], Sales: [ada.email] });

    await moveTo(api, bob.id, 'Sales');
    await waitIdle(api, appId);
    expect(await groups()).toEqual({ Sales: [ada.email, bob.email].sort() });
  }, 60_000);

  it('keep (the default): the emptied group stays on the target', async () => {
    const { appId, groups } = await departmentApp();
    expect((await api.ok('GET', `/api/apps/${appId}`)).provisioning.emptyGroups).toBe('keep');
    const cy = await assignIn(appId, 'Ops');
    await waitIdle(api, appId);
    await moveTo(api, cy.id, 'Sales');
    await waitIdle(api, appId);
    expect(await groups()).toEqual({ Ops: [], Sales: [cy.email] });
  }, 60_000);

  describe('against the SCIMMY server', () => {
    const scimmy = useScimmyServer();

    it('delete: the emptied group is deleted there too', async () => {
      const appId = await setUpApp(api, {
        connector: 'scim-generic',
        scimBaseUrl: scimmy().baseUrl,
        token: scimmy().bearerToken,
        custom: [{ name: 'Department group', source: 'department', target: 'groups' }],
        requireApproval: { create: false, update: false, delete: false },
      });
      const app = await api.ok('GET', `/api/apps/${appId}`);
      await api.ok('PUT', `/api/apps/${appId}/provisioning`, { ...app.provisioning, emptyGroups: 'delete' });
      const user = await assignIn(appId, 'Scimmy-Ops');
      await waitIdle(api, appId);
      expect((await scimmy().groups()).map((g) => g.displayName)).toEqual(['Scimmy-Ops']);
      await moveTo(api, user.id, 'Scimmy-Sales');
      await waitIdle(api, appId);
      expect((await scimmy().groups()).map((g) => g.displayName)).toEqual(['Scimmy-Sales']);
    });
  });
});
