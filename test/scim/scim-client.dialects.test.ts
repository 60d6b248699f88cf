import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../shared/src/mapping/scim-dialects.ts';
import { ENTERPRISE_USER_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import { type ScimmyServer, startScimmyServer } from '../support/scimmy-server.ts';
import {
  DIALECT_IDS,
  expectNoToken,
  genericResource,
  recordingClient,
  scimFailure,
} from './scim-test-kit.ts';

const writes = (server: ScimmyServer) => server.requests.filter((r) => r.method !== 'GET');

describe.each(DIALECT_IDS)('the %s dialect against a SCIMMY server', (dialect) => {
  let server: ScimmyServer;
  beforeEach(async () => {
    server = await startScimmyServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const ops = DIALECTS[dialect].ops;
  const patches = dialect === 'entra' || dialect === 'rfc';

  it('creates: looks the userName up, then POSTs the resource', async () => {
    const { client, exchanges } = recordingClient(server, dialect);
    const resource = genericResource();
    expect(await client.findUserIdByUserName(resource.userName)).toBeNull();
    const { id } = await client.createUser(resource);

    expect(server.requests.map((r) => [r.method, decodeURIComponent(r.path), r.status])).toEqual([
      ['GET', '/Users?filter=userName eq "ada@example.com"', 200],
      ['POST', '/Users', 201],
    ]);
    expect(server.requests[1]?.body).toEqual(resource);
    const [stored] = await server.users();
    expect(stored).toMatchObject({ id, userName: 'ada@example.com', externalId: 'dir-ada', active: true });
    expect(exchanges.map((e) => [e.request.method, e.response?.status])).toEqual([
      ['GET', 200],
      ['POST', 201],
    ]);
    expectNoToken(server.bearerToken, exchanges);
  });

  it('links an account that already exists on the target and brings it in line without knowing its state', async () => {
    const { id } = await recordingClient(server, dialect).client.createUser(
      genericResource({ title: 'Intern', department: 'Legacy' }),
    );
    const { client } = recordingClient(server, dialect);
    expect(await client.findUserIdByUserName('ada@example.com')).toBe(id);
    await client.updateUser(id, genericResource(), null);
    const stored = await server.users();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id,
      title: 'Analyst',
      [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering' },
    });
  });

  it(`updates with ${patches ? 'a minimal PATCH' : 'a PUT of the whole resource'}`, async () => {
    const { client, exchanges } = recordingClient(server, dialect);
    const previous = genericResource();
    const { id } = await client.createUser(previous);
    const desired = genericResource({ title: 'Engineer', department: 'Research' });
    await client.updateUser(id, desired, previous);

    const update = writes(server)[1];
    if (patches) {
      expect(update).toMatchObject({ method: 'PATCH', path: `/Users/${id}`, status: 200 });
      expect(update?.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: ops.replace, path: 'title', value: 'Engineer' },
          { op: ops.replace, path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Research' },
        ],
      });
    } else {
      expect(update).toMatchObject({
        method: 'PUT',
        path: `/Users/${id}`,
        status: 200,
        body: { ...desired, id },
      });
    }
    const [stored] = await server.users();
    expect(stored).toMatchObject({ title: 'Engineer', [ENTERPRISE_USER_SCHEMA]: { department: 'Research' } });
    expect(exchanges).toHaveLength(server.requests.length);
  });

  it('drops attributes the user no longer has, extension ones included', async () => {
    const { client } = recordingClient(server, dialect);
    const previous = genericResource();
    const { id } = await client.createUser(previous);
    await client.updateUser(id, genericResource({ title: null, department: null }), previous);
    const [stored] = await server.users();
    expect(stored).not.toHaveProperty('title');
    expect(stored?.[ENTERPRISE_USER_SCHEMA] ?? {}).not.toHaveProperty('department');
    if (patches) {
      expect(writes(server)[1]?.body).toMatchObject({
        Operations: [
          { op: ops.remove, path: 'title' },
          { op: ops.remove, path: `${ENTERPRISE_USER_SCHEMA}:department` },
        ],
      });
    }
  });

  it('suspends and reactivates the account', async () => {
    const { client, exchanges } = recordingClient(server, dialect);
    const resource = genericResource();
    const { id } = await client.createUser(resource);

    await client.setActive(id, false, { ...resource, active: false });
    expect((await server.users())[0]?.active).toBe(false);
    await client.setActive(id, true, resource);
    expect((await server.users())[0]?.active).toBe(true);

    const [, suspend, reactivate] = writes(server);
    if (patches) {
      expect(suspend?.body).toMatchObject({
        Operations: [{ op: ops.replace, path: 'active', value: false }],
      });
      expect(reactivate?.body).toMatchObject({
        Operations: [{ op: ops.replace, path: 'active', value: true }],
      });
    } else {
      expect(suspend).toMatchObject({ method: 'PUT', body: { ...resource, id, active: false } });
      expect(reactivate).toMatchObject({ method: 'PUT', body: { ...resource, id, active: true } });
    }
    expect(exchanges).toHaveLength(server.requests.length);
  });

  it('deletes, and counts a 404 for an account already gone as done', async () => {
    const { client, exchanges } = recordingClient(server, dialect);
    const { id } = await client.createUser(genericResource());
    await client.deleteUser(id);
    await client.deleteUser(id);
    expect(await server.users()).toEqual([]);
    expect(server.requests.slice(1).map((r) => [r.method, r.status])).toEqual([
      ['DELETE', 204],
      ['DELETE', 404],
    ]);
    expect(exchanges.map((e) => e.error)).toEqual([undefined, undefined, undefined]);
  });

  it('tests the connection the way the dialect does, and reports a wrong token as an auth failure', async () => {
    await recordingClient(server, dialect).client.testConnection();
    const expected =
      dialect === 'okta' ? ['/Users?startIndex=1&count=2'] : ['/ServiceProviderConfig', '/Users?count=1'];
    expect(server.requests.map((r) => [r.method, r.path, r.status])).toEqual(
      expected.map((path) => ['GET', path, 200]),
    );

    const wrong = recordingClient({ baseUrl: server.baseUrl, bearerToken: 'not-the-token' }, dialect);
    const error = await scimFailure(wrong.client.testConnection());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(wrong.exchanges).toHaveLength(1);
    expectNoToken('not-the-token', error, wrong.exchanges);
  });
});

describe('the connection test', () => {
  it('falls back to GET /Users?count=1 when the target has no ServiceProviderConfig', async () => {
    const server = await startScimmyServer();
    try {
      server.failNext(404, 1);
      const { client, exchanges } = recordingClient(server, 'onelogin');
      await client.testConnection();
      expect(server.requests.map((r) => [r.path, r.status])).toEqual([
        ['/ServiceProviderConfig', 404],
        ['/Users?count=1', 200],
      ]);
      expect(exchanges.map((e) => e.error)).toEqual([undefined, undefined]);
    } finally {
      await server.close();
    }
  });
});

describe('the rfc dialect against a target without PATCH support', () => {
  it('reads ServiceProviderConfig once and falls back to PUT', async () => {
    const server = await startScimmyServer({ patchSupported: false });
    try {
      const { client } = recordingClient(server, 'rfc');
      const resource = genericResource();
      const { id } = await client.createUser(resource);
      await client.updateUser(id, genericResource({ title: 'Engineer' }), resource);
      await client.setActive(id, false, resource);
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /Users',
        'GET /ServiceProviderConfig',
        `PUT /Users/${id}`,
        `PUT /Users/${id}`,
      ]);
      expect((await server.users())[0]).toMatchObject({ title: 'Analyst', active: false });
    } finally {
      await server.close();
    }
  });
});
