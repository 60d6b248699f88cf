import { describe, expect, it } from 'vitest';
import type { TargetGroupView } from '../../shared/src/types/target-api.ts';
import { apiClient } from '../support/api-client.ts';
import { buildUser, setUpApp, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { useScimmyServer } from '../support/scimmy-server.ts';

describe('Rules: conditions on user attributes set groups and entitlements, through the approval queue', () => {
  const { api, target } = useStack();
  const scimmy = useScimmyServer();

  it('SCIMMY target (okta dialect): the rule group and entitlement reach the server, and leave with the rule', async () => {
    const appId = await setUpApp(api, {
      connector: 'scim-generic',
      dialect: 'okta',
      scimBaseUrl: scimmy().baseUrl,
      token: scimmy().bearerToken,
      requireApproval: { create: false, update: false, delete: false },
    });
    const user = await api.ok('POST', '/api/users', buildUser({ title: 'Pilot' }));
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);
    await waitIdle(api, appId);
    const rule = await api.ok(
      'POST',
      `/api/apps/${appId}/rules`,
      {
        name: 'Pilots',
        conditions: [{ attribute: 'title', operator: 'contains', value: 'pilot' }],
        set: { groups: [`Flight-${appId}`], entitlements: ['cockpit'] },
      },
      [201],
    );
    expect(rule.reconcile).toMatchObject({ queued: 1 });
    await waitIdle(api, appId);
    const remote = (await scimmy().users()).find((u) => u.userName === user.email);
    expect(remote?.entitlements).toEqual([expect.objectContaining({ value: 'cockpit' })]);
    const members = async () =>
      ((await scimmy().groups()).find((g) => g.displayName === `Flight-${appId}`)?.members ?? []).map(
        (m) => m.value,
      );
    expect(await members()).toEqual([remote?.id]);

    await api.ok('DELETE', `/api/apps/${appId}/rules/${rule.rule.id}`);
    await waitIdle(api, appId);
    expect(await members()).toEqual([]);
    expect((await scimmy().users()).find((u) => u.userName === user.email)?.entitlements ?? []).toEqual([]);
  });

  it('rules match users, make update tasks, push groups and entitlements, and follow order, stop and off', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      connector: 'scim-generic',
      orgSettings: { strictAttributes: false },
    });
    const [ada, bob, cy] = await Promise.all([
      api.ok('POST', '/api/users', buildUser({ firstname: 'Ada', department: 'Engineering' })),
      api.ok('POST', '/api/users', buildUser({ firstname: 'Bob', department: 'Sales' })),
      api.ok('POST', '/api/users', buildUser({ firstname: 'Cy', department: 'Support' })),
    ]);
    for (const user of [ada, bob, cy])
      await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);

    const scim = apiClient(org.scimBaseUrl, org.token);
    const remote = async (email: string) =>
      (await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`)).body.Resources[0];
    const groups = async () =>
      Object.fromEntries(
        (await target.all<TargetGroupView>(`/target-api/orgs/${org.orgId}/groups`))
          .filter((g) => g.members.length > 0)
          .map((g) => [g.displayName, g.members.map((m) => m.userName).sort()]),
      );
    const approveAndPush = async () => {
      await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
      await waitIdle(api, appId);
    };

    const engineers = await api.ok(
      'POST',
      `/api/apps/${appId}/rules`,
      {
        name: 'Engineers',
        conditions: [{ attribute: 'department', operator: 'equals', value: 'engineering' }],
        set: { groups: ['Eng Team'], entitlements: ['github'] },
      },
      [201],
    );
    expect(engineers).toMatchObject({
      rule: { name: 'Engineers', enabled: true, stop: false },
      reconcile: { pending: 1, queued: 0, unchanged: 2 },
    });
    const ruleId = engineers.rule.id;
    expect(await api.ok('GET', `/api/apps/${appId}/rules/${ruleId}/matches`)).toEqual({
      total: 1,
      items: [{ userId: ada.id, email: ada.email, name: `Ada ${ada.lastname}` }],
    });
    const [task] = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    expect(task).toMatchObject({ userId: ada.id, action: 'update', groups: ['Eng Team'] });
    expect(JSON.stringify(task.preview)).toContain('github');
    await approveAndPush();
    expect((await remote(ada.email)).entitlements).toEqual([expect.objectContaining({ value: 'github' })]);
    expect(await groups()).toEqual({ 'Eng Team': [ada.email] });

    // A draft's matches, then the rule: Sales and Support to Field, stopping there.
    const field = {
      name: 'Field',
      conditions: [{ attribute: 'department', operator: 'in', value: ['Sales', 'Support'] }],
      set: { groups: ['Field'] },
      stop: true,
    };
    expect(
      (await api.ok('POST', `/api/apps/${appId}/rules/preview`, { conditions: field.conditions })).total,
    ).toBe(2);
    const fieldRule = (await api.ok('POST', `/api/apps/${appId}/rules`, field, [201])).rule;
    const everyone = (
      await api.ok(
        'POST',
        `/api/apps/${appId}/rules`,
        {
          name: 'Everyone',
          conditions: [{ attribute: 'email', operator: 'exists' }],
          set: { groups: ['All'] },
        },
        [201],
      )
    ).rule;
    await approveAndPush();
    // Field stops: Bob and Cy never reach Everyone.
    expect(await groups()).toEqual({
      'Eng Team': [ada.email],
      Field: [bob.email, cy.email].sort(),
      All: [ada.email],
    });

    // Everyone first: it matches all, and Field still stops after it.
    const reordered = await api.ok('PUT', `/api/apps/${appId}/rules/order`, {
      ruleIds: [everyone.id, ruleId, fieldRule.id],
    });
    expect(reordered.rules.map((r: { name: string }) => r.name)).toEqual(['Everyone', 'Engineers', 'Field']);
    expect(reordered.reconcile.pending).toBe(2);
    await approveAndPush();
    expect((await groups()).All).toEqual([ada.email, bob.email, cy.email].sort());

    // Turned off: Ada loses the group and the entitlement through an update task.
    const off = await api.ok('PUT', `/api/apps/${appId}/rules/${ruleId}`, {
      ...engineers.rule,
      id: undefined,
      enabled: false,
    });
    expect(off.reconcile).toMatchObject({ pending: 1 });
    await approveAndPush();
    expect((await remote(ada.email)).entitlements ?? []).toEqual([]);
    expect((await groups())['Eng Team']).toBeUndefined();

    // Reapply Mappings plans with the rules: nothing to change now.
    expect(await api.ok('POST', `/api/apps/${appId}/reapply-mappings`)).toEqual({
      queued: 0,
      pending: 0,
      unchanged: 3,
    });
    expect((await api.ok('DELETE', `/api/apps/${appId}/rules/${everyone.id}`)).reconcile.pending).toBe(3);
    expect((await api.ok('GET', `/api/apps/${appId}/rules`)).items).toHaveLength(2);
  });

  it('answers 400 naming the field, 404 for an unknown rule, and refuses rules on the Calendly catalog app', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      connector: 'scim-generic',
    });
    const field = async (body: unknown, path = `/api/apps/${appId}/rules`, method = 'POST') => {
      const reply = await api(method, path, body);
      expect(reply.status).toBe(400);
      return reply.body.error.details.field as string;
    };
    const rule = {
      name: 'R',
      conditions: [{ attribute: 'title', operator: 'exists' }],
      set: { groups: ['G'] },
    };
    expect(await field({ ...rule, conditions: [{ attribute: 'title', operator: 'like', value: 'x' }] })).toBe(
      'body.conditions.0.operator',
    );
    expect(await field({ ...rule, conditions: [{ attribute: 'title', operator: 'in', value: 'x' }] })).toBe(
      'body.conditions.0.value',
    );
    expect(await field({ ...rule, conditions: [{ attribute: 'salary', operator: 'exists' }] })).toBe(
      'body.conditions.0.attribute',
    );
    expect(await field({ ...rule, set: {} })).toBe('body.set');
    expect(await field({ ruleIds: ['nope'] }, `/api/apps/${appId}/rules/order`, 'PUT')).toBe('body.ruleIds');
    expect((await api('PUT', `/api/apps/${appId}/rules/nope`, rule)).status).toBe(404);
    expect((await api('GET', `/api/apps/${appId}/rules/nope/matches`)).status).toBe(404);

    const calendly = await setUpApp(api, { scimBaseUrl: org.scimBaseUrl, token: org.token });
    expect(await field(rule, `/api/apps/${calendly}/rules`)).toBe('connector');
  });
});
