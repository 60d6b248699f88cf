import { describe, expect, it } from 'vitest';
import { buildUser, createTargetOrg, setUpApp, useStack, waitIdle } from '../support/factories.ts';
import { useScimmyServer } from '../support/scimmy-server.ts';
import { targetRequests } from '../support/target-org.ts';

type GroupView = { scimId: string; displayName: string; members: { userName: string | null }[] };

describe('renaming a group the rules set, as an IdP renames a pushed group', () => {
  const { api, target } = useStack();

  /** A generic SCIM app pushing without approvals, with a rule: department `department` → group `group`. */
  async function appWithRule(
    setup: { scimBaseUrl: string; token: string; dialect?: 'onelogin' | 'okta' | 'entra' },
    rules: { department: string; group: string }[],
  ): Promise<string> {
    const appId = await setUpApp(api, {
      connector: 'scim-generic',
      ...setup,
      requireApproval: { create: false, update: false, delete: false },
    });
    for (const { department, group } of rules)
      await api.ok(
        'POST',
        `/api/apps/${appId}/rules`,
        {
          name: group,
          conditions: [{ attribute: 'department', operator: 'equals', value: department }],
          set: { groups: [group] },
        },
        [201],
      );
    return appId;
  }

  /** Renames the group and expects it renamed on the target in place: `appUsers` hold it, nothing to push. */
  async function renameInPlace(appId: string, rename: { from: string; to: string }, appUsers: number) {
    const renamed = await api.ok('POST', `/api/apps/${appId}/rules/rename-group`, rename);
    expect(renamed).toMatchObject({ renamedOnTarget: true, appUsers, reconcile: { queued: 0, pending: 0 } });
    await waitIdle(api, appId);
    return renamed;
  }

  it.each(['onelogin', 'entra'] as const)(
    '%s dialect: one PATCH of the displayName; the members stay, no push moves them',
    async (dialect) => {
      const org = await createTargetOrg(target, { strictAttributes: false });
      const appId = await appWithRule({ scimBaseUrl: org.scimBaseUrl, token: org.token, dialect }, [
        { department: 'Sales', group: 'Field' },
      ]);
      const users = await Promise.all(
        [0, 1].map(() => api.ok('POST', '/api/users', buildUser({ department: 'Sales' }))),
      );
      for (const user of users) await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
      await waitIdle(api, appId);
      const groups = () => target.all<GroupView>(`/target-api/orgs/${org.orgId}/groups`);
      const [before] = await groups();
      expect(before?.displayName).toBe('Field');
      const since = new Date().toISOString();

      const renamed = await renameInPlace(appId, { from: 'Field', to: 'Field Sales' }, 2);
      expect(renamed).toMatchObject({ rules: [{ set: { groups: ['Field Sales'] } }] });
      const [after] = await groups();
      expect(after).toMatchObject({ scimId: before?.scimId, displayName: 'Field Sales' });
      expect(after?.members.map((m) => m.userName).sort()).toEqual(users.map((u) => u.email).sort());
      const sent = (await targetRequests(target, org.orgId)).filter(
        (r) => r.at >= since && r.method !== 'GET',
      );
      const op = dialect === 'entra' ? 'Replace' : 'replace';
      expect(sent).toEqual([
        expect.objectContaining({
          method: 'PATCH',
          path: expect.stringContaining(`/Groups/${before?.scimId}`),
          body: expect.objectContaining({ Operations: [{ op, path: 'displayName', value: 'Field Sales' }] }),
          status: 200,
        }),
      ]);
      const log = await api.all(`/api/provisioning-log?appId=${appId}&userId=${users[0]?.id}`);
      expect(log[0]?.message).toBe(
        'Group "Field" renamed to "Field Sales" on the target: membership unchanged.',
      );

      // A later change of the user pushes without touching the group.
      await api.ok('PATCH', `/api/users/${users[0]?.id}`, { lastname: 'Renamed' });
      await waitIdle(api, appId);
      expect((await groups()).map((g) => [g.displayName, g.members.length])).toEqual([['Field Sales', 2]]);
    },
  );

  describe('against the SCIMMY server (Okta dialect)', () => {
    const scimmy = useScimmyServer();

    it('renames the group in place: same id, same members, one PATCH', async () => {
      const appId = await appWithRule(
        { scimBaseUrl: scimmy().baseUrl, token: scimmy().bearerToken, dialect: 'okta' },
        [{ department: 'Ops', group: 'Ops' }],
      );
      const user = await api.ok('POST', '/api/users', buildUser({ department: 'Ops' }));
      await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
      await waitIdle(api, appId);
      const [before] = await scimmy().groups();
      const sentBefore = scimmy().requests.length;

      await renameInPlace(appId, { from: 'Ops', to: 'Operations' }, 1);
      expect(await scimmy().groups()).toEqual([
        expect.objectContaining({ id: before?.id, displayName: 'Operations', members: before?.members }),
      ]);
      expect(
        scimmy()
          .requests.slice(sentBefore)
          .filter((r) => r.method !== 'GET'),
      ).toEqual([
        expect.objectContaining({
          method: 'PATCH',
          path: expect.stringContaining(`/Groups/${before?.id}`),
          status: 200,
        }),
      ]);
    });
  });

  it('answers 409 when the target has the new name already, 400 naming the field otherwise', async () => {
    const org = await createTargetOrg(target, { strictAttributes: false });
    const appId = await appWithRule({ scimBaseUrl: org.scimBaseUrl, token: org.token }, [
      { department: 'A', group: 'A' },
      { department: 'B', group: 'B' },
    ]);
    for (const department of ['A', 'B']) {
      const user = await api.ok('POST', '/api/users', buildUser({ department }));
      await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
    }
    await waitIdle(api, appId);

    const taken = await api('POST', `/api/apps/${appId}/rules/rename-group`, { from: 'A', to: 'B' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'group_name_taken' });
    const unknown = await api('POST', `/api/apps/${appId}/rules/rename-group`, { from: 'C', to: 'D' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.field).toBe('body.from');
    expect(
      (await target.all<GroupView>(`/target-api/orgs/${org.orgId}/groups`)).map((g) => g.displayName),
    ).toEqual(['A', 'B']);
  });
});
