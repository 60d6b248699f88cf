import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimCallError } from './scim-call-error.ts';
import { scimHttp } from './scim-http.ts';
import { createScimTransport } from './scim-transport.ts';
import type { TargetPolicy } from './target-policy.ts';

describe('scimHttp', () => {
  it('answers one pool per policy and timeout, also for an equal policy held in another object', () => {
    const policy: TargetPolicy = { allowlist: ['pool.example'], allowLinkLocal: false };
    const pool = scimHttp(policy, 4321);
    expect(scimHttp(policy, 4321)).toBe(pool);
    expect(scimHttp({ allowlist: ['pool.example'], allowLinkLocal: false }, 4321)).toBe(pool);
    expect(scimHttp(policy, 4322)).not.toBe(pool);
  });
});

/** A target counting the requests that reach it. */
describe("a target's endpoint, worked out once per policy and base URL", () => {
  let server: Server;
  let requests = 0;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'Content-Type': 'application/scim+json' }).end('{"Resources":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const send = (target: { baseUrl: string; policy: TargetPolicy }) =>
    createScimTransport({ ...target, bearerToken: 't', timeoutMs: 5000 })({ method: 'GET', path: '/Users' });

  it("keeps each policy's say on the same base URL, for every client, and sends to its path", async () => {
    const refusing: TargetPolicy = { allowlist: ['elsewhere.example'], allowLinkLocal: false };
    const allowing: TargetPolicy = { allowlist: ['127.0.0.1'], allowLinkLocal: false };
    requests = 0;
    for (let client = 0; client < 2; client++) {
      const refused = await send({ baseUrl, policy: refusing }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ScimCallError);
      expect(refused).toMatchObject({ kind: 'refused' });
      await expect(send({ baseUrl, policy: allowing })).resolves.toMatchObject({ status: 200 });
    }
    expect(requests).toBe(2);
  });

  it('fails every call on a malformed base URL, nothing remembered of it', async () => {
    const policy: TargetPolicy = { allowlist: [], allowLinkLocal: false };
    for (let client = 0; client < 2; client++) {
      const failure = await send({ baseUrl: 'not a url', policy }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ScimCallError);
      expect(failure).toMatchObject({ kind: 'permanent' });
    }
  });
});
