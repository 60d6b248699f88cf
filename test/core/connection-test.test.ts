import { createServer, type RequestListener, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICE_PROVIDER_CONFIG_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import { expectContractError } from '../support/expectations.ts';
import { createTargetOrg, useStack } from '../support/factories.ts';
import { listenOnLoopback, SCIM_JSON } from '../support/raw-scim-server.ts';

/** Enable passes only when an authenticated read answers SCIM: discovery endpoints alone prove nothing. */
describe('Enable (the connection test)', () => {
  const { api, target, stack } = useStack();
  const servers: Server[] = [];

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const serve = async (handler: RequestListener) => {
    const server = createServer(handler);
    servers.push(server);
    return `${await listenOnLoopback(server)}/scim/v2`;
  };

  const answer = (res: Parameters<RequestListener>[1], status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': SCIM_JSON });
    res.end(JSON.stringify(body));
  };

  const enable = async (scimBaseUrl: string, scimBearerToken: string, dialect = 'onelogin') => {
    const app = await api.ok('POST', '/api/apps', { connector: 'scim-generic', name: 'Probe' });
    await api.ok('PUT', `/api/apps/${app.id}/configuration`, { scimBaseUrl, scimBearerToken, dialect });
    const reply = await api('POST', `/api/apps/${app.id}/configuration/enable`);
    const after = await api.ok('GET', `/api/apps/${app.id}`);
    return { reply, apiConnection: after.configuration.apiConnection };
  };

  const expectRefused = (result: Awaited<ReturnType<typeof enable>>, status: number, message: RegExp) => {
    expectContractError(result.reply, status);
    expect(result.reply.body.error.message).toMatch(message);
    expect(result.apiConnection).toBe('error');
  };

  it.each(['onelogin', 'okta', 'entra', 'rfc'])(
    '%s: passes with the org token of the built-in target, fails with a wrong one',
    async (dialect) => {
      const org = await createTargetOrg(target);
      const right = await enable(org.scimBaseUrl, org.token, dialect);
      expect(right.reply.status, right.reply.text).toBe(200);
      expect(right.apiConnection).toBe('enabled');
      expectRefused(await enable(org.scimBaseUrl, 'not-the-org-token-at-all', dialect), 422, /401/);
    },
  );

  it('fails against a server that answers ServiceProviderConfig without auth but 401s /Users', async () => {
    const requests: string[] = [];
    const baseUrl = await serve((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      if (req.url === '/scim/v2/ServiceProviderConfig')
        return answer(res, 200, { schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA], patch: { supported: true } });
      answer(res, 401, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
    });
    expectRefused(await enable(baseUrl, 'any-token-will-do-here'), 422, /rejected the bearer token \(401\)/);
    expect(requests).toEqual(['GET /scim/v2/ServiceProviderConfig', 'GET /scim/v2/Users?count=1']);
  });

  it('fails against a server that answers JSON that is not SCIM', async () => {
    const baseUrl = await serve((_req, res) => answer(res, 200, { items: [], total: 0 }));
    expectRefused(await enable(baseUrl, 'any-token-will-do-here'), 422, /not a SCIM ServiceProviderConfig/);
    expectRefused(await enable(baseUrl, 'any-token-will-do-here', 'okta'), 422, /not a SCIM ListResponse/);
  });

  it("fails against provisim's own API with the admin token as the SCIM token", async () => {
    for (const dialect of ['onelogin', 'okta']) {
      // GET /api/Users answers 200 with the admin token, but {items}, not a ListResponse.
      expectRefused(
        await enable(`${stack().apiUrl}/api`, stack().adminToken, dialect),
        422,
        /GET \/Users.* not a SCIM ListResponse/,
      );
    }
  });
});
