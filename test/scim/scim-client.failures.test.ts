import { createServer, type RequestListener, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../support/raw-scim-server.ts';
import { useScimmyServer } from '../support/scimmy-server.ts';
import { expectNoToken, genericResource, recordingClient, scimFailure } from './scim-test-kit.ts';

describe('failure classification against a SCIMMY server', () => {
  const server = useScimmyServer('each');

  it('reports 503 with Retry-After in seconds as retryable, with the delay', async () => {
    server().failNext(503, 1, { 'Retry-After': '7' });
    const { client, exchanges } = recordingClient(server(), 'onelogin');
    const error = await scimFailure(client.createUser(genericResource()));
    expect(error).toMatchObject({ kind: 'retryable', status: 503, retryAfterMs: 7000 });
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ response: { status: 503 }, error: error.message });
    expect(await server().users()).toEqual([]);
  });

  it('reports 429 with Retry-After as an HTTP date as retryable, with the delay until then', async () => {
    const until = new Date(Date.now() + 60_000);
    server().failNext(429, 1, { 'Retry-After': until.toUTCString() });
    const { client } = recordingClient(server(), 'okta');
    const error = await scimFailure(client.findUserIdByUserName('ada@example.com'));
    expect(error).toMatchObject({ kind: 'retryable', status: 429 });
    // HTTP dates have whole seconds, so up to one second of the minute is lost to rounding.
    expect(error.retryAfterMs).toBeGreaterThan(58_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('reports a 4xx as permanent, quoting the SCIM scimType and detail', async () => {
    const { client } = recordingClient(server(), 'rfc');
    await client.createUser(genericResource());
    const error = await scimFailure(client.createUser(genericResource()));
    expect(error).toMatchObject({ kind: 'permanent', status: 409 });
    expect(error.message).toContain('uniqueness: userName ada@example.com is already taken');

    const invalid = await scimFailure(
      client.createUser({ ...genericResource(), userName: undefined as never }),
    );
    expect(invalid).toMatchObject({ kind: 'permanent', status: 400 });
    expect(invalid.message).toMatch(/400: invalidValue: .*userName/);
  });

  it('reports 401 and 403 as auth failures', async () => {
    const wrong = recordingClient({ baseUrl: server().baseUrl, bearerToken: 'wrong-token' }, 'entra');
    expect(await scimFailure(wrong.client.findUserIdByUserName('ada'))).toMatchObject({
      kind: 'auth',
      status: 401,
    });
    server().failNext(403, 1);
    const { client, exchanges } = recordingClient(server(), 'entra');
    expect(await scimFailure(client.deleteUser('x'))).toMatchObject({ kind: 'auth', status: 403 });
    expectNoToken('wrong-token', wrong.exchanges);
    expectNoToken(server().bearerToken, exchanges);
  });
});

const listen = async (handler: RequestListener): Promise<{ server: Server; baseUrl: string }> => {
  const server = createServer(handler);
  return { server, baseUrl: `${await listenOnLoopback(server)}/scim/v2` };
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('failure classification on the network', () => {
  it('reports a refused connection as retryable, with no response', async () => {
    const { server, baseUrl } = await listen(() => {});
    await closeServer(server);
    const { client, exchanges } = recordingClient({ baseUrl, bearerToken: 'secret-token' }, 'onelogin');
    const error = await scimFailure(client.testConnection());
    expect(error.kind).toBe('retryable');
    expect(error.message).toContain('ECONNREFUSED');
    expect(exchanges).toEqual([
      expect.objectContaining({ request: { method: 'GET', url: `${baseUrl}/ServiceProviderConfig` } }),
    ]);
    expect(exchanges[0]?.response).toBeUndefined();
    expectNoToken('secret-token', error, exchanges);
  });

  it('reports a connection the target drops mid-call as retryable', async () => {
    const { server, baseUrl } = await listen((req) => req.socket.destroy());
    try {
      const error = await scimFailure(
        recordingClient({ baseUrl, bearerToken: 'x' }, 'okta').client.deleteUser('u'),
      );
      expect(error.kind).toBe('retryable');
      expect(error.message).toContain('DELETE /Users/u: connection reset (ECONNRESET)');
    } finally {
      await closeServer(server);
    }
  });

  it('reports a target that never answers as retryable once timeoutMs passes', async () => {
    const { server, baseUrl } = await listen(() => {});
    try {
      const { client, exchanges } = recordingClient({ baseUrl, bearerToken: 'secret-token' }, 'rfc', 150);
      const error = await scimFailure(client.createUser(genericResource()));
      expect(error.kind).toBe('retryable');
      expect(error.message).toContain('did not answer POST /Users within 150 ms');
      expect(exchanges).toHaveLength(1);
    } finally {
      await closeServer(server);
    }
  });
});

describe('malformed answers', () => {
  let server: Server;
  let baseUrl: string;
  const raw: Record<string, { status: number; type: string; body: string }> = {
    'GET /html/Users': { status: 200, type: 'text/html', body: '<html><body>Please sign in</body></html>' },
    'GET /truncated/Users': {
      status: 200,
      type: 'application/scim+json',
      body: '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[{"id":',
    },
    'POST /no-id/Users': {
      status: 201,
      type: 'application/scim+json',
      body: '{"userName":"ada@example.com"}',
    },
  };

  let headers: Array<Record<string, string | string[] | undefined>>;

  beforeEach(async () => {
    headers = [];
    ({ server, baseUrl } = await listen((req, res) => {
      headers.push(req.headers);
      const path = (req.url ?? '').replace(/^\/scim\/v2/, '').split('?')[0];
      const answer = raw[`${req.method} ${path}`];
      req.resume();
      res
        .writeHead(answer?.status ?? 404, { 'Content-Type': answer?.type ?? 'text/plain' })
        .end(answer?.body ?? '');
    }));
  });
  afterEach(async () => {
    await closeServer(server);
  });

  const client = (prefix: string) =>
    recordingClient({ baseUrl: `${baseUrl}/${prefix}`, bearerToken: 't0k3n' }, 'onelogin');

  it('rejects an HTML page where SCIM JSON was due', async () => {
    const { client: html, exchanges } = client('html');
    const error = await scimFailure(html.findUserIdByUserName('ada@example.com'));
    expect(error).toMatchObject({ kind: 'permanent', status: 200 });
    expect(error.message).toContain('an HTML page (Content-Type: text/html) instead of SCIM JSON');
    expect(exchanges[0]?.response?.body).toBe(raw['GET /html/Users']?.body);
  });

  it('rejects truncated JSON', async () => {
    const error = await scimFailure(client('truncated').client.findUserIdByUserName('ada@example.com'));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('JSON that does not parse, truncated or malformed');
  });

  it('rejects a 201 without an id', async () => {
    const { client: noId, exchanges } = client('no-id');
    const error = await scimFailure(noId.createUser(genericResource()));
    expect(error).toMatchObject({ kind: 'permanent', status: 201 });
    expect(error.message).toContain('with 201 but its answer has no "id" for the new resource');
    expect(exchanges).toHaveLength(1);
    expectNoToken('t0k3n', error, exchanges);
    expect(headers[0]).toMatchObject({
      authorization: 'Bearer t0k3n',
      'content-type': 'application/scim+json',
      accept: 'application/scim+json, application/json',
      'user-agent': 'provisim',
      connection: 'keep-alive',
    });
  });
});
