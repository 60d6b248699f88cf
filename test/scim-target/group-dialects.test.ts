import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../shared/src/mapping/scim-dialects.ts';
import {
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  PATCH_OP_SCHEMA,
} from '../../shared/src/mapping/scim-schemas.ts';
import type { JournalEntry, TargetGroupView } from '../../shared/src/types/target-api.ts';
import { DIALECT_IDS, recordingClient } from '../scim/scim-test-kit.ts';
import { startTarget, type TargetHarness, type TestOrg } from './support/target-harness.ts';

/**
 * Groups on the built-in target in Calendly's strict attribute mode: what each identity provider's
 * group PATCH looks like on the wire (read back from the target's request journal), and that the
 * target applies each shape as RFC 7644 says.
 */
describe('group PATCH shapes per identity provider, strict Calendly org', () => {
  let target: TargetHarness;
  let org: TestOrg;
  let scimBaseUrl: string;
  const users: Record<string, string> = {};

  beforeAll(async () => {
    target = await startTarget();
    org = await target.newOrg({ strictAttributes: true });
    scimBaseUrl = `${target.baseUrl()}/scim/v2/${org.id}`;
    for (const name of ['ada', 'bob', 'cy']) {
      const created = await org.scim({
        method: 'POST',
        path: '/Users',
        body: { schemas: [CORE_USER_SCHEMA], userName: `${name}@acme.test`, displayName: name, active: true },
      });
      expect(created.status, created.text).toBe(201);
      users[name] = (created.body as { id: string }).id;
    }
  });
  afterAll(async () => {
    await target?.close();
  });

  const id = (name: string) => users[name] as string;
  const groups = async () =>
    ((await target.adminOk('GET', `/orgs/${org.id}/groups?limit=1000`)).items as TargetGroupView[]).map(
      (g) => ({ ...g, members: g.members.map((m) => m.userName).sort() }),
    );
  const group = async (displayName: string) => (await groups()).find((g) => g.displayName === displayName);
  const journal = async () =>
    (await target.adminOk('GET', `/orgs/${org.id}/requests?limit=1000`)).items as JournalEntry[];
  const lastPatch = async (groupId: string) =>
    (await journal()).filter((e) => e.method === 'PATCH' && e.path.endsWith(`/Groups/${groupId}`)).at(-1);

  it.each(DIALECT_IDS)(
    '%s: the client creates the group, adds and removes members in its dialect',
    async (dialect) => {
      const { client } = recordingClient({ baseUrl: scimBaseUrl, bearerToken: org.token }, dialect);
      const name = `Engineering-${dialect}`;
      await client.syncGroups(id('ada'), [name], []);
      const created = await group(name);
      expect(created?.members).toEqual(['ada@acme.test']);
      const groupId = created?.scimId as string;

      await client.syncGroups(id('bob'), [name], []);
      const ops = DIALECTS[dialect].ops;
      // Okta (and every dialect here) adds a member as {value} alone: no `type`, no `$ref`.
      expect((await lastPatch(groupId))?.body).toEqual({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: ops.add, path: 'members', value: [{ value: id('bob') }] }],
      });
      expect((await lastPatch(groupId))?.status).toBe(200);

      await client.syncGroups(id('ada'), [], [name]);
      expect((await lastPatch(groupId))?.body).toEqual({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          dialect === 'entra'
            ? { op: 'Remove', path: 'members', value: [{ value: id('ada') }] }
            : { op: 'remove', path: `members[value eq "${id('ada')}"]` },
        ],
      });
      expect((await group(name))?.members).toEqual(['bob@acme.test']);
    },
  );

  const newGroup = async (displayName: string, members: string[]) => {
    const created = await org.scim({
      method: 'POST',
      path: '/Groups',
      body: { schemas: [CORE_GROUP_SCHEMA], displayName, members: members.map((m) => ({ value: id(m) })) },
    });
    expect(created.status, created.text).toBe(201);
    return (created.body as { id: string }).id;
  };
  const patch = async (groupId: string, operations: unknown[]) => {
    const answer = await org.scim({
      method: 'PATCH',
      path: `/Groups/${groupId}`,
      body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
    });
    expect(answer.status, answer.text).toBe(200);
    const entry = await lastPatch(groupId);
    expect(entry).toMatchObject({ status: 200, body: { Operations: operations } });
  };

  it('Okta: members added with a display and no type, renamed by a path-less replace, emptied by replace with members []', async () => {
    const groupId = await newGroup('Sales', []);
    await patch(groupId, [
      { op: 'add', path: 'members', value: [{ value: id('ada'), display: 'ada@acme.test' }] },
    ]);
    expect((await group('Sales'))?.members).toEqual(['ada@acme.test']);

    await patch(groupId, [{ op: 'replace', value: { id: groupId, displayName: 'Sales EMEA' } }]);
    expect((await group('Sales EMEA'))?.members).toEqual(['ada@acme.test']);

    await patch(groupId, [{ op: 'replace', path: 'members', value: [] }]);
    expect((await group('Sales EMEA'))?.members).toEqual([]);

    await patch(groupId, [{ op: 'add', path: 'members', value: [{ value: id('bob') }] }]);
    await patch(groupId, [{ op: 'replace', value: { displayName: 'Sales EMEA', members: [] } }]);
    expect((await group('Sales EMEA'))?.members).toEqual([]);
  });

  it('Entra: capitalised Add of several members, Remove by value, Replace of displayName and of the member list', async () => {
    const groupId = await newGroup('Support', []);
    await patch(groupId, [
      { op: 'Add', path: 'members', value: [{ value: id('ada') }, { value: id('bob') }] },
    ]);
    expect((await group('Support'))?.members).toEqual(['ada@acme.test', 'bob@acme.test']);

    await patch(groupId, [{ op: 'Remove', path: 'members', value: [{ value: id('ada') }] }]);
    expect((await group('Support'))?.members).toEqual(['bob@acme.test']);

    await patch(groupId, [{ op: 'Replace', path: 'displayName', value: 'Customer Support' }]);
    expect((await group('Customer Support'))?.members).toEqual(['bob@acme.test']);

    // A Replace of `members` replaces the whole list (RFC 7644 §3.5.2.3): it is how Entra once wiped members.
    await patch(groupId, [{ op: 'Replace', path: 'members', value: [{ value: id('cy') }] }]);
    expect((await group('Customer Support'))?.members).toEqual(['cy@acme.test']);
  });

  it('strict mode still refuses extra attributes on users while groups carry their members', async () => {
    const refused = await org.scim({
      method: 'POST',
      path: '/Users',
      body: { schemas: [CORE_USER_SCHEMA], userName: 'dee@acme.test', title: 'Analyst' },
    });
    expect(refused.status).toBe(400);
    const user = await org.scim({ method: 'GET', path: `/Users/${id('cy')}` });
    expect((user.body as { groups?: { display: string }[] }).groups?.map((g) => g.display)).toContain(
      'Customer Support',
    );
  });
});
