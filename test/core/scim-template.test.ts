import { describe, expect, it } from 'vitest';
import { CORE_USER_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import type { JournalEntry, TargetGroupView } from '../../shared/src/types/target-api.ts';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';

/** Calendly's strict mode accepts only these on a user; `active` comes from the directory. */
const CALENDLY_TEMPLATE = `{
  "schemas": ["${CORE_USER_SCHEMA}"],
  "userName": "{$parameters.scimusername}",
  "displayName": "{$user.firstname} {$user.lastname}",
  "externalId": "{$user.id}"
}`;

describe('SCIM JSON Template and the seed\'s "Assigning groups in Calendly", through the API', () => {
  const { api, target } = useStack();

  it('refuses a template with an unknown macro, invalid JSON or no userName, naming the place, and refuses it on Calendly', async () => {
    const appId = (await api.ok('POST', '/api/apps', { connector: 'scim-generic', name: 'SCIM Provisioner' }))
      .id;
    const save = (scimJsonTemplate: string) =>
      api('PUT', `/api/apps/${appId}/parameters/scim-json-template`, { scimJsonTemplate });

    const unknown = await save(
      '{\n  "userName": "{$parameters.scimusername}",\n  "title": "{$user.jobtitle}"\n}',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'invalid_input',
      message: 'body.scimJsonTemplate: unknown macro {$user.jobtitle} at line 3, column 13 ($.title)',
      details: { field: 'body.scimJsonTemplate', details: { line: 3, column: 13, path: '$.title' } },
    });
    expect((await save('{"userName": "{$user.email}" "x": 1}')).body.error.details.details).toMatchObject({
      line: 1,
      column: 30,
    });
    expect((await save('{"displayName": "{$user.display_name}"}')).body.error.details.details.path).toBe(
      '$.userName',
    );
    // A parameter macro needs the parameter; removing a parameter the saved template uses is refused too.
    expect((await save('{"userName":"{$parameters.department}"}')).status).toBe(400);
    await api.ok('PUT', `/api/apps/${appId}/parameters`, {
      scimUsername: 'email',
      custom: [{ name: 'Department', source: 'department', target: 'groups' }],
    });
    await api.ok('PUT', `/api/apps/${appId}/parameters/scim-json-template`, {
      scimJsonTemplate: '{"userName":"{$parameters.scimusername}","title":"{$parameters.department}"}',
    });
    const dropped = await api('PUT', `/api/apps/${appId}/parameters`, { scimUsername: 'email', custom: [] });
    expect(dropped.status).toBe(400);
    expect(dropped.body.error.message).toMatch(/unknown macro \{\$parameters\.department\}/);
    expect((await api.ok('GET', `/api/apps/${appId}`)).parameters.scimJsonTemplate).toMatch(/department/);

    const calendly = (await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Calendly' })).id;
    const refused = await api('PUT', `/api/apps/${calendly}/parameters/scim-json-template`, {
      scimJsonTemplate: CALENDLY_TEMPLATE,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/SCIM Provisioner/);
  });

  it('department -> Calendly group on a strict org: previewed, approved, pushed, and moved when the department changes', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      connector: 'scim-generic',
      custom: [{ name: 'Department', source: 'department', target: 'groups' }],
      orgSettings: { strictAttributes: true },
    });
    const app = await api.ok('PUT', `/api/apps/${appId}/parameters/scim-json-template`, {
      scimJsonTemplate: CALENDLY_TEMPLATE,
    });
    expect(app.parameters.scimJsonTemplate).toBe(CALENDLY_TEMPLATE);
    const user = await api.ok('POST', '/api/users', buildUser({ department: 'Engineering' }));

    const preview = await api.ok('POST', `/api/apps/${appId}/parameters/scim-json-template/preview`, {
      userId: user.id,
    });
    const expected = {
      schemas: [CORE_USER_SCHEMA],
      userName: user.email,
      displayName: `Ada ${user.lastname}`,
      externalId: user.id,
      active: true,
    };
    expect(preview).toEqual({
      userId: user.id,
      resource: expected,
      groups: ['Engineering'],
      template: 'saved',
    });
    const draft = await api.ok('POST', `/api/apps/${appId}/parameters/scim-json-template/preview`, {
      userId: user.id,
      scimJsonTemplate: null,
    });
    expect(draft.template).toBe('none');
    expect(draft.resource.name).toMatchObject({ givenName: 'Ada' });

    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);
    const [task] = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    expect(task).toMatchObject({ action: 'create', method: 'POST', preview: expected });
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);

    const journal = async () =>
      (await target.all<JournalEntry>(`/target-api/orgs/${org.orgId}/requests`)).filter(
        (e) => e.method !== 'GET',
      );
    const created = (await journal()).find((e) => e.method === 'POST' && e.path.endsWith('/Users'));
    expect(created).toMatchObject({ status: 201, body: expected });
    const groups = async () =>
      Object.fromEntries(
        (await target.all<TargetGroupView>(`/target-api/orgs/${org.orgId}/groups`)).map((g) => [
          g.displayName,
          g.members.map((m) => m.userName),
        ]),
      );
    expect(await groups()).toEqual({ Engineering: [user.email] });

    await api.ok('PATCH', `/api/users/${user.id}`, { department: 'Sales' });
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);
    expect(await groups()).toEqual({ Engineering: [], Sales: [user.email] });
    expect((await journal()).every((e) => e.status < 400)).toBe(true);
  });
});
