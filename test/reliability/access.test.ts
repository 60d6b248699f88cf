import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { expectContractError } from '../support/expectations.ts';
import { createTargetOrg, useStack } from '../support/factories.ts';
import { openApiOperations } from './support/openapi-operations.ts';
import { snapshotStore, storeChanges } from './support/store-snapshot.ts';

/** The built-in target's management API (api.md), mounted behind the same admin token. */
const TARGET_API_OPERATIONS = [
  ['post', '/target-api/orgs'],
  ['get', '/target-api/orgs'],
  ['get', '/target-api/orgs/{orgId}'],
  ['delete', '/target-api/orgs/{orgId}'],
  ['put', '/target-api/orgs/{orgId}/settings'],
  ['put', '/target-api/orgs/{orgId}/sso'],
  ['put', '/target-api/orgs/{orgId}/scim'],
  ['post', '/target-api/orgs/{orgId}/tokens'],
  ['get', '/target-api/orgs/{orgId}/users'],
  ['post', '/target-api/orgs/{orgId}/users/{scimId}/accept-invitation'],
  ['post', '/target-api/orgs/{orgId}/login'],
  ['post', '/target-api/orgs/{orgId}/login-attempts'],
  ['put', '/target-api/orgs/{orgId}/faults'],
  ['get', '/target-api/orgs/{orgId}/requests'],
] as const;

describe('access: nothing without the admin token', () => {
  const { api: admin, stack } = useStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });

  /** Authorization headers that must all be refused: none, wrong, near misses, wrong scheme, token elsewhere. */
  const refusedCredentials = (
    token: string,
  ): Array<{ label: string; headers: Record<string, string>; query?: string }> => [
    { label: 'no header', headers: {} },
    {
      label: 'wrong token of the same length',
      headers: { authorization: `Bearer ${'x'.repeat(token.length)}` },
    },
    {
      label: 'token with a changed last character',
      headers: { authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` },
    },
    { label: 'token prefix', headers: { authorization: `Bearer ${token.slice(0, -4)}` } },
    { label: 'token plus a character', headers: { authorization: `Bearer ${token}x` } },
    { label: 'empty bearer', headers: { authorization: 'Bearer ' } },
    { label: 'Basic scheme with the token', headers: { authorization: `Basic ${token}` } },
    { label: 'token twice', headers: { authorization: `Bearer ${token} ${token}` } },
    { label: 'token in the query string', headers: {}, query: `token=${encodeURIComponent(token)}` },
    { label: 'token in a cookie', headers: { cookie: `token=${token}; adminToken=${token}` } },
  ];

  it('answers 401 in the contract shape on every protected route of the OpenAPI document and the target API', async () => {
    const anonymous = apiClient(stack().apiUrl, null);
    const doc = await anonymous.ok('GET', '/api/openapi.json');
    const operations = openApiOperations(doc);
    expect(operations.filter((op) => op.public).map((op) => `${op.method} ${op.path}`)).toEqual([
      'get /api/health',
    ]);
    const protectedOps = [
      ...operations.filter((op) => !op.public),
      ...TARGET_API_OPERATIONS.map(([method, path]) => ({
        method,
        path,
        hasBody: method !== 'get' && method !== 'delete',
      })),
    ];
    expect(protectedOps.length).toBeGreaterThan(30);

    const redis = new Redis(stack().redisUrl);
    const before = await snapshotStore(redis, stack().keyPrefix);
    const tried: string[] = [];
    for (const op of protectedOps) {
      const path = op.path.replace(/\{\w+\}/g, 'some-id');
      for (const credential of refusedCredentials(stack().adminToken)) {
        const url = credential.query ? `${path}${path.includes('?') ? '&' : '?'}${credential.query}` : path;
        const reply = await anonymous(op.method.toUpperCase(), url, op.hasBody ? {} : undefined, {
          headers: credential.headers,
        });
        const where = `${op.method} ${op.path} with ${credential.label}`;
        expect(reply.status, where).toBe(401);
        expectContractError(reply, 401);
        expect(reply.body.error.code, where).toBe('unauthorized');
        expect(reply.text, where).not.toContain(stack().adminToken);
        tried.push(where);
      }
    }
    expect(tried.length).toBe(protectedOps.length * refusedCredentials(stack().adminToken).length);
    expect(storeChanges(before, await snapshotStore(redis, stack().keyPrefix))).toEqual([]);
    redis.disconnect();
  });

  it('guards the queue dashboard (/admin/queues) the same way, including its token cookie and query', async () => {
    const anonymous = apiClient(stack().apiUrl, null);
    const token = stack().adminToken;
    const attempts: Array<{ label: string; path: string; headers?: Record<string, string> }> = [];
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const sep = path.includes('?') ? '&' : '?';
      attempts.push(
        { label: 'nothing', path },
        { label: 'wrong bearer', path, headers: { authorization: `Bearer ${token}x` } },
        { label: 'malformed bearer', path, headers: { authorization: 'Bearer %E0%A4%A' } },
        { label: 'wrong query token', path: `${path}${sep}token=${encodeURIComponent(`${token}x`)}` },
        { label: 'malformed query token', path: `${path}${sep}token=%25E0%25A4%25A` },
        {
          label: 'wrong cookie',
          path,
          headers: { cookie: `provisim_admin=${encodeURIComponent(`${token}x`)}` },
        },
        { label: 'malformed cookie', path, headers: { cookie: 'provisim_admin=%E0%A4%A' } },
      );
    }
    const answers = [];
    for (const attempt of attempts) {
      const reply = await anonymous('GET', attempt.path, undefined, { headers: attempt.headers ?? {} });
      answers.push({
        attempt: `${attempt.path} with ${attempt.label}`,
        status: reply.status,
        setsCookie: reply.headers.has('set-cookie'),
      });
    }
    expect(answers.filter((a) => a.status !== 401 || a.setsCookie)).toEqual([]);
    const admitted = await anonymous('GET', `/admin/queues?token=${encodeURIComponent(token)}`);
    expect(admitted.status).toBe(200);
  });

  it('answers health and the OpenAPI document without a token, and the rest with the right one', async () => {
    const anonymous = apiClient(stack().apiUrl, null);
    expect((await anonymous('GET', '/api/health')).status).not.toBe(401);
    expect((await anonymous('GET', '/api/openapi.json')).status).toBe(200);
    expect((await admin('GET', '/api/users')).status).toBe(200);
    expect((await admin('GET', '/target-api/orgs')).status).toBe(200);
  });

  it("lets a target's SCIM endpoints be used only with that org's current token", async () => {
    const org = await createTargetOrg(admin, { name: 'Guarded' });
    const other = await createTargetOrg(admin, { name: 'Neighbour' });
    const scim = (token: string | null) => apiClient(org.scimBaseUrl, token);

    expect((await scim(org.token)('GET', '/Users')).status).toBe(200);
    for (const token of [null, stack().adminToken, other.token, `${org.token}x`]) {
      const reply = await scim(token)('GET', '/Users');
      expect(reply.status, String(token === null ? 'none' : token.length)).toBe(401);
    }

    const { token: renewed } = await admin.ok('POST', `/target-api/orgs/${org.orgId}/tokens`, {
      lifetimeDays: 30,
    });
    expect((await scim(org.token)('GET', '/Users')).status).toBe(401);
    expect((await scim(renewed)('GET', '/Users')).status).toBe(200);

    // A token lives its lifetime only (0.00001 days is under a second).
    const { token: shortLived } = await admin.ok('POST', `/target-api/orgs/${org.orgId}/tokens`, {
      lifetimeDays: 0.00001,
    });
    let status = 200;
    const deadline = Date.now() + 10_000;
    while (status === 200 && Date.now() < deadline) {
      status = (await scim(shortLived)('GET', '/Users')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
  });
});
