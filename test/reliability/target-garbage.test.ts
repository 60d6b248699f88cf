import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../support/api-client.ts';
import {
  APPROVE_DELETES_ONLY,
  assignUsers,
  createUsers,
  setUpApp,
  useStack,
  waitIdle,
} from '../support/factories.ts';
import { EMPTY_SCIM_LIST, listenOnLoopback, SCIM_JSON } from '../support/raw-scim-server.ts';

/** What a half-finished SCIM server answers a create with, chosen by the userName's first word. */
const garbage: Record<
  string,
  { status: number; type: string; body: (userName: string) => string; says: RegExp }
> = {
  html: {
    status: 200,
    type: 'text/html',
    body: () => '<html><body><h1>Welcome to nginx!</h1></body></html>',
    says: /html|not (valid )?json|content[- ]type|unexpected/i,
  },
  truncated: {
    status: 201,
    type: SCIM_JSON,
    body: (userName) =>
      `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"${userName}","id":"12`,
    says: /json|truncated|parse|malformed/i,
  },
  noid: {
    status: 200,
    type: SCIM_JSON,
    body: (userName) => JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }),
    says: /\bid\b/i,
  },
};

/** A SCIM server that looks fine to the connection test and lookups but answers creates with garbage. */
function garbageTarget(token: string): Server {
  let nextId = 1;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401, { 'content-type': SCIM_JSON }).end('{"status":"401"}');
        return;
      }
      if (req.method === 'POST' && req.url?.endsWith('/Users')) {
        const userName = String(JSON.parse(Buffer.concat(chunks).toString() || '{}').userName ?? '');
        const kind = garbage[userName.split('-')[0] ?? ''];
        if (kind) {
          res.writeHead(kind.status, { 'content-type': kind.type }).end(kind.body(userName));
          return;
        }
        res.writeHead(201, { 'content-type': SCIM_JSON }).end(
          JSON.stringify({
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            id: `ok-${nextId++}`,
            userName,
          }),
        );
        return;
      }
      if (req.url?.includes('/ServiceProviderConfig')) {
        res.writeHead(200, { 'content-type': SCIM_JSON }).end(
          JSON.stringify({
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
            patch: { supported: false },
            bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
            filter: { supported: true, maxResults: 100 },
            changePassword: { supported: false },
            sort: { supported: false },
            etag: { supported: false },
            authenticationSchemes: [],
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': SCIM_JSON }).end(EMPTY_SCIM_LIST);
    });
  });
}

describe('fault 7: the target answers garbage', () => {
  const token = 'garbage-target-token-0123456789';
  const { api } = useStack({ env: { PROVISIM_PUSH_ATTEMPTS: '2', PROVISIM_RETRY_BASE_MS: '20' } });
  let server: Server;
  let targetUrl: string;

  beforeAll(async () => {
    server = garbageTarget(token);
    targetUrl = `${await listenOnLoopback(server)}/scim/v2`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('fails each such task with a message saying what was wrong, and keeps working', async () => {
    const appId = await setUpApp(api, {
      scimBaseUrl: targetUrl,
      token,
      requireApproval: APPROVE_DELETES_ONLY,
    });
    const users = await mapKinds(api);
    await assignUsers(api, appId, Object.values(users));
    await waitIdle(api, appId, 40_000);

    const appUsers = await api.all(`/api/apps/${appId}/users`);
    const byId = new Map(appUsers.map((u) => [u.userId, u]));
    for (const [kind, userId] of Object.entries(users)) {
      const appUser = byId.get(userId);
      if (kind === 'fine') {
        expect(appUser?.state).toBe('provisioned');
        continue;
      }
      expect(appUser?.state, kind).toBe('failed');
      expect(appUser?.lastError, kind).toMatch(garbage[kind]?.says ?? /never/);
      const failed = await api.all(`/api/provisioning-log?appId=${appId}&userId=${userId}&status=failed`);
      expect(failed.length, kind).toBe(1);
      expect(failed[0].message, kind).toMatch(garbage[kind]?.says ?? /never/);
    }
    expect((await api('GET', '/api/health')).status).toBe(200);
  });
});

/** One directory user per kind of garbage, plus one the target answers properly. */
async function mapKinds(api: Api): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const kind of [...Object.keys(garbage), 'fine']) {
    const [id] = await createUsers(api, 1, kind);
    result[kind] = id as string;
  }
  return result;
}
