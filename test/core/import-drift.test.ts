import { describe, expect, it } from 'vitest';
import { CORE_USER_SCHEMA, PATCH_OP_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import type { ImportItem } from '../../shared/src/types/import.schema.ts';
import type { JournalEntry } from '../../shared/src/types/target-api.ts';
import { apiClient } from '../support/api-client.ts';
import {
  APPROVE_DELETES_ONLY,
  buildUser,
  setUpApp,
  setUpAppOnNewOrg,
  useStack,
  waitIdle,
} from '../support/factories.ts';
import { mapLimit } from '../support/map-limit.ts';
import { useScimmyServer } from '../support/scimmy-server.ts';
import { targetUsers } from '../support/target-org.ts';

const byUserName = (items: ImportItem[]) => new Map(items.map((item) => [item.userName, item]));

describe('Import from app: matching, drift, link / reconcile / leave', () => {
  const { api, target } = useStack();
  const scimmy = useScimmyServer();

  const importItems = async (appId: string, kind?: string) =>
    (await api.ok('GET', `/api/apps/${appId}/import?limit=1000${kind ? `&kind=${kind}` : ''}`))
      .items as ImportItem[];
  const decide = (appId: string, key: string, action: string) =>
    api('POST', `/api/apps/${appId}/import/items/${encodeURIComponent(key)}`, { action });

  it('built-in Calendly target: out-of-band edits and deactivations are drift, reconciled through approvals', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: true, update: true, delete: true },
    });
    const [ada, bob, cy, dee] = await Promise.all(
      ['Ada', 'Bob', 'Cy', 'Dee'].map((firstname) => api.ok('POST', '/api/users', buildUser({ firstname }))),
    );
    for (const user of [ada, bob, cy])
      await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);

    const scim = apiClient(org.scimBaseUrl, org.token);
    const person = async (email: string) =>
      (await targetUsers(target, org.orgId)).find((u) => u.userName === email) as { scimId: string };
    // Simulation: the Calendly admin renames Ada and deactivates Bob in Calendly's own screens.
    await target.ok(
      'POST',
      `/target-api/orgs/${org.orgId}/users/${(await person(ada.email)).scimId}/simulate-change`,
      {
        displayName: 'Ada (renamed in Calendly)',
      },
    );
    await target.ok(
      'POST',
      `/target-api/orgs/${org.orgId}/users/${(await person(bob.email)).scimId}/simulate-change`,
      {
        active: false,
      },
    );
    // Cy's account is gone from the target; Dee (not assigned) and a stranger have accounts made elsewhere.
    expect((await scim('DELETE', `/Users/${(await person(cy.email)).scimId}`)).status).toBe(204);
    for (const userName of [dee.email, 'stranger@elsewhere.test'])
      expect(
        (await scim('POST', '/Users', { schemas: [CORE_USER_SCHEMA], userName, displayName: 'X' })).status,
      ).toBe(201);

    const journalBefore = (await target.all<JournalEntry>(`/target-api/orgs/${org.orgId}/requests`)).length;
    const summary = await api.ok('POST', `/api/apps/${appId}/import`);
    expect(summary.totals).toEqual({
      targetAccounts: 4,
      targetReportedTotal: 4,
      matched: 3,
      drifted: 3,
      unmatchedTarget: 1,
      unmatchedDirectory: 1,
    });
    expect(await api.ok('GET', `/api/apps/${appId}/import/summary`)).toEqual({ lastImport: summary });
    const reads = (await target.all<JournalEntry>(`/target-api/orgs/${org.orgId}/requests`)).slice(
      journalBefore,
    );
    expect(reads.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /Users?startIndex=1&count=200']);

    const items = byUserName(await importItems(appId));
    expect(items.get(ada.email)).toMatchObject({
      kind: 'drifted',
      assigned: true,
      linked: true,
      diffs: [{ path: 'displayName', expected: `Ada ${ada.lastname}`, actual: 'Ada (renamed in Calendly)' }],
    });
    expect(items.get(bob.email)).toMatchObject({
      kind: 'drifted',
      active: false,
      diffs: [{ path: 'active', expected: true, actual: false }],
    });
    expect(items.get(dee.email)).toMatchObject({ kind: 'drifted', assigned: false, linked: false });
    expect(items.get('stranger@elsewhere.test')).toMatchObject({ kind: 'unmatched_target', userId: null });
    expect(items.get(cy.email)).toMatchObject({ kind: 'unmatched_directory', targetId: null, userId: cy.id });
    expect((await importItems(appId, 'unmatched_target')).map((i) => i.userName)).toEqual([
      'stranger@elsewhere.test',
    ]);

    const key = (email: string) => items.get(email)?.key as string;
    const reconciledAda = await decide(appId, key(ada.email), 'reconcile');
    expect(reconciledAda.body.decision).toMatchObject({ action: 'reconcile', outcome: 'pending' });
    const reconciledBob = (await decide(appId, key(bob.email), 'reconcile')).body;
    const reconciledCy = (await decide(appId, key(cy.email), 'reconcile')).body;
    expect((await decide(appId, key(dee.email), 'link')).body.error.code).toBe('not_assigned');
    expect((await decide(appId, key('stranger@elsewhere.test'), 'reconcile')).body.error.code).toBe(
      'no_directory_user',
    );
    expect((await decide(appId, key('stranger@elsewhere.test'), 'leave')).body.decision.outcome).toBe('left');
    expect((await decide(appId, key(ada.email), 'leave')).body.error.code).toBe('import_item_decided');

    const pending = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    const taskOf = (userId: string) => pending.find((t: { userId: string }) => t.userId === userId);
    expect(taskOf(ada.id)).toMatchObject({
      id: reconciledAda.body.decision.taskId,
      action: 'update',
      method: 'PUT',
      preview: { displayName: `Ada ${ada.lastname}` },
    });
    expect(taskOf(bob.id)).toMatchObject({ id: reconciledBob.decision.taskId, action: 'reactivate' });
    expect(taskOf(cy.id)).toMatchObject({
      id: reconciledCy.decision.taskId,
      action: 'create',
      method: 'POST',
    });
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);

    await api.ok('POST', `/api/apps/${appId}/import`);
    const after = byUserName(await importItems(appId));
    for (const user of [ada, bob, cy])
      expect(after.get(user.email)).toMatchObject({ kind: 'matched', diffs: [], linked: true });
  });

  it('SCIMMY server: reads every page, links an unlinked account and reconciles a PATCH-dialect drift', async () => {
    const appId = await setUpApp(api, {
      connector: 'scim-generic',
      dialect: 'entra',
      scimBaseUrl: scimmy().baseUrl,
      token: scimmy().bearerToken,
      requireApproval: APPROVE_DELETES_ONLY,
    });
    const ada = await api.ok('POST', '/api/users', buildUser({ firstname: 'Ada' }));
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: ada.id }, [201]);
    await waitIdle(api, appId);
    const scim = apiClient(scimmy().baseUrl, scimmy().bearerToken);
    const remote = { id: String((await scimmy().users()).find((u) => u.userName === ada.email)?.id) };
    const edited = await scim(
      'PATCH',
      `/Users/${remote.id}`,
      {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'name.givenName', value: 'Augusta' }],
      },
      { headers: { 'content-type': 'application/scim+json' } },
    );
    expect(edited.status, edited.text).toBe(200);
    // 450 accounts made elsewhere: the import reads them in pages of 200.
    await mapLimit(
      Array.from({ length: 450 }, (_, i) => i),
      8,
      (i) =>
        scim(
          'POST',
          '/Users',
          { schemas: [CORE_USER_SCHEMA], userName: `bulk-${i}@elsewhere.test` },
          {
            headers: { 'content-type': 'application/scim+json' },
          },
        ),
    );
    // Bob is assigned while provisioning is off, then his account appears on the target: link it.
    const bob = await api.ok('POST', '/api/users', buildUser({ firstname: 'Bob' }));
    const app = await api.ok('GET', `/api/apps/${appId}`);
    await api.ok('PUT', `/api/apps/${appId}/provisioning`, { ...app.provisioning, enabled: false });
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: bob.id }, [201]);
    await api.ok('PUT', `/api/apps/${appId}/provisioning`, { ...app.provisioning, enabled: true });
    const bobResource = (
      await api.ok('POST', `/api/apps/${appId}/parameters/scim-json-template/preview`, { userId: bob.id })
    ).resource;
    const bobRemote = await scim('POST', '/Users', bobResource, {
      headers: { 'content-type': 'application/scim+json' },
    });
    expect(bobRemote.status, bobRemote.text).toBe(201);

    scimmy().requests.length = 0;
    const summary = await api.ok('POST', `/api/apps/${appId}/import`);
    expect(summary.totals).toMatchObject({
      targetAccounts: 452,
      matched: 2,
      drifted: 1,
      unmatchedTarget: 450,
    });
    expect(scimmy().requests.map((r) => r.path)).toEqual([
      '/Users?startIndex=1&count=200',
      '/Users?startIndex=201&count=200',
      '/Users?startIndex=401&count=200',
    ]);
    const items = byUserName(await importItems(appId));
    expect(items.get(ada.email)?.diffs).toEqual([
      { path: 'name.givenName', expected: 'Ada', actual: 'Augusta' },
    ]);
    expect(items.get(bob.email)).toMatchObject({ kind: 'matched', linked: false, assigned: true });

    expect((await decide(appId, items.get(bob.email)?.key as string, 'link')).body.decision.outcome).toBe(
      'linked',
    );
    expect(await api.ok('GET', `/api/apps/${appId}/users/${bob.id}`)).toMatchObject({
      externalId: (bobRemote.body as { id: string }).id,
      state: 'provisioned',
    });

    scimmy().requests.length = 0;
    const reconciled = await decide(appId, items.get(ada.email)?.key as string, 'reconcile');
    expect(reconciled.body.decision.outcome).toBe('queued');
    await waitIdle(api, appId);
    expect(scimmy().requests.filter((r) => r.method === 'PATCH')).toEqual([
      expect.objectContaining({
        path: `/Users/${remote.id}`,
        status: 200,
        body: {
          schemas: [PATCH_OP_SCHEMA],
          Operations: [{ op: 'Replace', path: 'name.givenName', value: 'Ada' }],
        },
      }),
    ]);
    expect((await scimmy().users()).find((u) => u.id === remote.id)?.name).toMatchObject({
      givenName: 'Ada',
    });
  });

  it('answers 404 before any import, 409 without SCIM Username, and 502 when the target is down', async () => {
    const appId = (await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'C' })).id;
    expect((await api('GET', `/api/apps/${appId}/import`)).status).toBe(404);
    expect(await api.ok('GET', `/api/apps/${appId}/import/summary`)).toEqual({ lastImport: null });
    expect((await api('POST', `/api/apps/${appId}/import`)).body.error.code).toBe('scim_username_unset');
    await api.ok('PUT', `/api/apps/${appId}/parameters`, { scimUsername: 'email' });
    await api.ok('PUT', `/api/apps/${appId}/configuration`, {
      scimBaseUrl: 'http://127.0.0.1:9/scim/v2',
      scimBearerToken: 'secret-token-value',
    });
    const down = await api('POST', `/api/apps/${appId}/import`);
    expect(down.status).toBe(502);
    expect(down.text).not.toContain('secret-token-value');
    expect((await api('POST', `/api/apps/${appId}/import/items/x.1`, { action: 'leave' })).status).toBe(400);
  });
});
