import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/src/api-client/http.ts';
import { createProvisimClient } from '../../shared/src/api-client/provisim-client.ts';
import { buildUser, useStack } from '../support/factories.ts';

describe('the typed REST client (shared/src/api-client)', () => {
  const { api, stack } = useStack();

  it('round-trips directory users and reads every page of a list', async () => {
    const client = createProvisimClient(() => ({ baseUrl: stack().apiUrl, token: stack().adminToken }));
    const made = await client.users.create(buildUser({ firstname: 'Typed' }));
    expect(made).toMatchObject({ firstname: 'Typed', status: 'active' });
    expect(await client.users.get(made.id)).toEqual(made);
    const renamed = await client.users.update(made.id, { lastname: 'Client' });
    expect(renamed.lastname).toBe('Client');
    // Pages of 1 through the shared cursor loop reach the same apps as pages of 1000.
    const app = await client.apps.create('calendly', 'Typed');
    const other = await client.apps.create('scim-generic', 'Typed too');
    const ids = (await client.apps.all()).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([app.id, other.id]));
    const onePerPage = await api.all<{ id: string }>('/api/apps', 1);
    expect(onePerPage.map((a) => a.id).sort()).toEqual([...ids].sort());
  });

  it("throws ApiError with the status and the contract's error code", async () => {
    const error = await api.typed.apps.get('no-such-app').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: expect.any(String) });
    const refused = await api.typed.users
      .create({ ...buildUser(), email: 'not-an-email' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_input' });
    expect((refused as ApiError).message).toContain('email');
    const anonymous = createProvisimClient({ baseUrl: stack().apiUrl, token: null });
    await expect(anonymous.apps.all()).rejects.toMatchObject({ status: 401 });
    expect(await anonymous.health()).toMatchObject({ status: 'ok', redis: 'ok' });
  });
});
