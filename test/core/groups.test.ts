import { describe, expect, it } from 'vitest';
import { buildUser, setUpApp, useStack, waitIdle } from '../support/factories.ts';
import { useScimmyServer } from '../support/scimmy-server.ts';

describe('groups on the generic SCIM app (SCIMMY target)', () => {
  const { api } = useStack();
  const scim = useScimmyServer();

  const membersOf = async (displayName: string) =>
    ((await scim().groups()).find((g) => g.displayName === displayName)?.members ?? []).map((m) => m.value);

  it.each(['onelogin', 'entra'] as const)(
    '%s dialect: department mapped to groups creates the group and keeps membership in step',
    async (dialect) => {
      const appId = await setUpApp(api, {
        connector: 'scim-generic',
        dialect,
        scimBaseUrl: scim().baseUrl,
        token: scim().bearerToken,
        custom: [{ name: 'Department group', source: 'department', target: 'groups' }],
        requireApproval: { create: false, update: false, delete: false },
        onDelete: 'delete',
      });
      const department = `Eng-${dialect}`;
      const user = (await api('POST', '/api/users', buildUser({ department }))).body;
      await api('POST', `/api/apps/${appId}/users`, { userId: user.id });
      await waitIdle(api, appId);
      const remote = (await scim().users()).find((u) => u.userName === user.email);
      expect(remote?.name).toMatchObject({ givenName: user.firstname, familyName: user.lastname });
      expect(await membersOf(department)).toEqual([remote?.id]);

      await api('PATCH', `/api/users/${user.id}`, { department: `Sales-${dialect}` });
      await waitIdle(api, appId);
      expect(await membersOf(department)).toEqual([]);
      expect(await membersOf(`Sales-${dialect}`)).toEqual([remote?.id]);

      await api('DELETE', `/api/users/${user.id}`);
      await waitIdle(api, appId);
      expect((await scim().users()).find((u) => u.userName === user.email)).toBeUndefined();
    },
  );
});
