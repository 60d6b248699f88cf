import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { createTargetOrg } from '../support/factories.ts';
import { killAllChildren, startTargetProcess, type TargetProcess } from '../support/processes.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';
import { targetRequests, throughOrigin } from '../support/target-org.ts';

/** Issue 10's reproduction: `"[".repeat(1e5) + "]".repeat(1e5)`, a 195 KB body nested 100,000 deep. */
const DEEP_ARRAY = '['.repeat(1e5) + ']'.repeat(1e5);
const SCIM_HEADERS = { 'content-type': 'application/scim+json' };

describe('a 100,000-deep JSON body to the built-in target (issue 10)', () => {
  const adminToken = randomBytes(18).toString('base64url');
  let target: TargetProcess;

  beforeAll(async () => {
    target = await startTargetProcess({
      REDIS_URL: testRedisUrl(),
      PROVISIM_KEY_PREFIX: uniquePrefix('deep-json'),
      PROVISIM_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(killAllChildren);

  it('is refused with 400 invalidSyntax on POST /Users and DELETE /Users/:id, and the process lives on', async () => {
    const management = apiClient(target.url, adminToken);
    const org = await createTargetOrg(management, { name: 'Deep Org' });
    const scim = apiClient(throughOrigin(org.scimBaseUrl, target.url), org.token);
    const created = await scim(
      'POST',
      '/Users',
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'deep@example.com' },
      { headers: SCIM_HEADERS },
    );
    expect(created.status, created.text).toBe(201);

    for (const [method, path] of [
      ['POST', '/Users'],
      ['DELETE', `/Users/${created.body.id}`],
    ] as const) {
      const reply = await scim(method, path, undefined, { rawBody: DEEP_ARRAY, headers: SCIM_HEADERS });
      expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(400);
      expect(reply.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidSyntax',
        detail: expect.stringMatching(/^body\.0\.0\..* nests deeper than 32 levels$/),
      });
    }

    expect((await scim('GET', `/Users/${created.body.id}`)).status).toBe(200);
    const journal = await targetRequests(management, org.orgId);
    expect(journal.filter((entry) => entry.status === 400)).toHaveLength(2);
    expect(target.output()).not.toMatch(/RangeError|Maximum call stack/);
  });

  it('is refused with 400 naming the field on the management API (limit 100 KB), which lives on', async () => {
    const management = apiClient(target.url, adminToken);
    const deep = '['.repeat(4e4) + ']'.repeat(4e4);
    const reply = await management('POST', '/target-api/orgs', undefined, { rawBody: deep });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.error.code).toBe('invalid_input');
    expect(reply.body.error.details.field).toMatch(/^body\.0\.0\./);
    expect(reply.body.error.message).toContain(reply.body.error.details.field);
    expect((await management('GET', '/target-api/orgs')).status).toBe(200);
  });
});
