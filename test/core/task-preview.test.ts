import { describe, expect, it } from 'vitest';
import { PATCH_OP_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import { type AppSetup, buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';

type JournalEntry = { method: string; path: string; body: unknown; status: number };

describe('a pending task previews the SCIM request the push then sends', () => {
  const { api, target } = useStack();

  /** An app pushing creates at once and holding updates for approval, with one user already on the target. */
  async function provisionedUser(dialect: AppSetup['dialect']) {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      dialect,
      requireApproval: { create: false, update: true, delete: true },
    });
    const user = (await api('POST', '/api/users', buildUser({ firstname: 'Ada' }))).body;
    await api('POST', `/api/apps/${appId}/users`, { userId: user.id });
    await waitIdle(api, appId);
    const journal = async (): Promise<JournalEntry[]> =>
      (await target('GET', `/target-api/orgs/${org.orgId}/requests?limit=1000`)).body.items;
    const pushed = (await journal()).length;
    const scimId: string = (await api('GET', `/api/apps/${appId}/users/${user.id}`)).body.externalId;
    await api('PATCH', `/api/users/${user.id}`, { lastname: 'King' });
    const pending = (await api('GET', `/api/apps/${appId}/tasks?status=pending`)).body.items;
    expect(pending).toHaveLength(1);
    /** Approves the task and answers the requests the push sent. */
    const approve = async () => {
      expect((await api('POST', `/api/apps/${appId}/tasks/${pending[0].id}/approve`)).status).toBe(200);
      await waitIdle(api, appId);
      return (await journal()).slice(pushed);
    };
    return { appId, task: pending[0], scimId, approve };
  }

  it('entra: a PatchOp with capitalised op names, exactly the body the worker PATCHes', async () => {
    const { task, scimId, approve } = await provisionedUser('entra');
    expect(task).toMatchObject({ action: 'update', method: 'PATCH' });
    expect(task).not.toHaveProperty('resource');
    expect(task.preview.schemas).toEqual([PATCH_OP_SCHEMA]);
    expect(task.preview.Operations).toContainEqual({ op: 'Replace', path: 'displayName', value: 'Ada King' });
    expect(task.preview.Operations.every((o: { op: string }) => o.op === 'Replace')).toBe(true);

    const sent = await approve();
    expect(sent.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`PATCH /Users/${scimId} 200`]);
    expect(sent[0]?.body).toEqual(task.preview);
  });

  it('onelogin: the whole resource, which the worker PUTs', async () => {
    const { task, scimId, approve } = await provisionedUser('onelogin');
    expect(task).toMatchObject({ action: 'update', method: 'PUT', preview: { displayName: 'Ada King' } });

    const sent = await approve();
    expect(sent.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`PUT /Users/${scimId} 200`]);
    expect(sent[0]?.body).toEqual({ ...task.preview, id: scimId });
  });

  it('rfc: Enable records PATCH support, so preview and push agree without asking the target again', async () => {
    const { appId, task, approve } = await provisionedUser('rfc');
    expect((await api('GET', `/api/apps/${appId}`)).body.configuration.patchSupported).toBe(true);
    expect(task).toMatchObject({ method: 'PATCH', preview: { schemas: [PATCH_OP_SCHEMA] } });
    expect(task.preview.Operations).toContainEqual({ op: 'replace', path: 'displayName', value: 'Ada King' });

    const sent = await approve();
    expect(sent.map((r) => r.method)).toEqual(['PATCH']);
    expect(sent[0]?.body).toEqual(task.preview);
  });
});
