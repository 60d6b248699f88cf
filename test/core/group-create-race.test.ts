import { describe, expect, it } from 'vitest';
import { buildUser, setUpDepartmentGroupsApp, useStack, waitIdle } from '../support/factories.ts';
import { mapLimit } from '../support/map-limit.ts';

const USERS = 12;

describe('pushes racing to create the same group', () => {
  const { api, target } = useStack();

  it('end with one group on the target holding every member', async () => {
    const { org, appId } = await setUpDepartmentGroupsApp(api, target);
    const app = await api.ok('GET', `/api/apps/${appId}`);
    expect(app.provisioning.concurrency).toBeGreaterThan(1);
    const users = await mapLimit(Array.from({ length: USERS }), USERS, () =>
      api.ok('POST', '/api/users', buildUser({ department: 'Field' })),
    );
    await mapLimit(users, USERS, (user) => api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }));
    await waitIdle(api, appId);

    const groups = await target.all(`/target-api/orgs/${org.orgId}/groups`);
    expect(groups.map((g) => g.displayName)).toEqual(['Field']);
    expect(groups[0].members.map((m: { userName: string }) => m.userName).sort()).toEqual(
      users.map((u) => u.email).sort(),
    );
    expect((await api.ok('GET', `/api/apps/${appId}`)).counts).toMatchObject({
      provisioned: USERS,
      failed: 0,
    });
  }, 60_000);
});
