import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { createTargetOrg } from '../support/factories.ts';
import { killAllChildren, startTargetProcess, type TargetProcess } from '../support/processes.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';
import { throughOrigin } from '../support/target-org.ts';
import { keysUnder, storeText } from './support/store-snapshot.ts';

describe('the built-in target keeps only hashes of the tokens it issues', () => {
  const keyPrefix = uniquePrefix('target-hash');
  const adminToken = randomBytes(18).toString('base64url');
  let target: TargetProcess;
  let redis: Redis;

  beforeAll(async () => {
    target = await startTargetProcess({
      REDIS_URL: testRedisUrl(),
      PROVISIM_KEY_PREFIX: keyPrefix,
      PROVISIM_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'debug',
    });
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    redis?.disconnect();
    await killAllChildren();
  });

  it('has no issued token in any Redis key or value, nor in its output', async () => {
    const management = apiClient(target.url, adminToken);
    const org = await createTargetOrg(management, { name: 'Hashing Org' });
    const { token: renewed } = await management.ok('POST', `/target-api/orgs/${org.orgId}/tokens`, {
      lifetimeDays: 1,
    });
    const scimBaseUrl = throughOrigin(org.scimBaseUrl, target.url);
    const scim = apiClient(scimBaseUrl, renewed);
    const created = await scim(
      'POST',
      '/Users',
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'hash@example.com', active: true },
      { headers: { 'content-type': 'application/scim+json' } },
    );
    expect(created.status, created.text).toBe(201);
    expect((await apiClient(scimBaseUrl, org.token)('GET', '/Users')).status).toBe(401);

    const keys = await keysUnder(redis, keyPrefix);
    expect(keys.length).toBeGreaterThan(0);
    const stored = await storeText(redis, keyPrefix);
    expect(stored).toContain(org.orgId);
    expect(stored).toContain('hash@example.com');
    for (const token of [org.token, renewed]) {
      expect(stored.includes(token), 'a token is stored as is').toBe(false);
      expect(target.output().includes(token), 'a token is in the target output').toBe(false);
    }
  });
});
