import { expect } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { createTargetOrg, waitHealthy } from '../support/factories.ts';
import { testRedisUrlInDb } from '../support/redis.ts';
import { startStack } from '../support/stack.ts';
import { badInputSuite } from './support/bad-input-suite.ts';
import { TARGET_API_OPERATIONS } from './support/target-api-operations.ts';

badInputSuite(
  'bad input: the built-in target management API answers a clear 4xx and changes nothing',
  async () => {
    const stack = await startStack({
      env: { PROVISIM_IN_PROCESS_WORKERS: 'false', REDIS_URL: testRedisUrlInDb(2) },
    });
    const api = apiClient(stack.apiUrl, stack.adminToken);
    await waitHealthy(stack.apiUrl);
    const org = await createTargetOrg(api, { name: 'Fuzzed Org', strictAttributes: false });
    const created = await apiClient(org.scimBaseUrl, org.token)(
      'POST',
      '/Users',
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'fixture@example.com',
        active: true,
      },
      { headers: { 'content-type': 'application/scim+json' } },
    );
    expect(created.status, created.text).toBe(201);
    return {
      stack,
      api,
      operations: TARGET_API_OPERATIONS,
      pathParams: { orgId: org.orgId, scimId: created.body.id },
      validBodies: {
        'post /target-api/orgs': () => ({ name: 'Another Org' }),
        'put /target-api/orgs/{orgId}/settings': () => ({ strictAttributes: false, seatLimit: null }),
        'put /target-api/orgs/{orgId}/sso': () => ({ configured: true, enforced: true }),
        'put /target-api/orgs/{orgId}/scim': () => ({ enabled: true }),
        'post /target-api/orgs/{orgId}/tokens': () => ({ lifetimeDays: 30 }),
        'post /target-api/orgs/{orgId}/login': () => ({ userName: 'fixture@example.com' }),
        'post /target-api/orgs/{orgId}/login-attempts': () => ({ userName: 'fixture@example.com' }),
        'post /target-api/orgs/{orgId}/users/{scimId}/simulate-change': () => ({ displayName: 'Renamed' }),
        'put /target-api/orgs/{orgId}/faults': () => ({
          latencyMs: 0,
          errorRate: 0,
          rateLimit: null,
          failNext: [],
        }),
      },
    };
  },
);
