import { expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { createUsers, setUpAppOnNewOrg, waitHealthy } from '../support/factories.ts';
import { testRedisUrlInDb } from '../support/redis.ts';
import { startStack } from '../support/stack.ts';
import { badInputSuite } from './support/bad-input-suite.ts';
import { type Operation, openApiOperations } from './support/openapi-operations.ts';

badInputSuite(
  'bad input: every route of the OpenAPI document answers a clear 4xx and changes nothing',
  async () => {
    const stack = await startStack({
      env: { PROVISIM_IN_PROCESS_WORKERS: 'false', REDIS_URL: testRedisUrlInDb(1) },
    });
    const api = apiClient(stack.apiUrl, stack.adminToken);
    await waitHealthy(stack.apiUrl);
    const operations = openApiOperations(await api.ok('GET', '/api/openapi.json'));
    expect(operations.length).toBeGreaterThan(30);
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: true, update: true, delete: true },
    });
    const [userId, otherUserId] = (await createUsers(api, 2, 'fixture')) as [string, string];
    await api.ok('POST', `/api/apps/${appId}/users`, { userId });
    const [task] = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    const role = await api.ok('POST', '/api/roles', { name: 'Fixture role' });
    const rule = {
      name: 'Fixture rule',
      conditions: [{ attribute: 'department', operator: 'equals', value: 'QA' }],
      set: { groups: ['QA'] },
    };
    return {
      stack,
      api,
      operations,
      // No import has run, so an item key of the right shape answers 404 once its body passes; a plan id
      // no plan has answers 409 plan_changed.
      pathParams: {
        userId,
        roleId: role.id,
        appId,
        taskId: task.id,
        key: 't.fixture',
        kind: 'reapply',
        ruleId: 'r-fixture',
      },
      validBodies: {
        'post /api/users': () => ({
          firstname: 'Fuzz',
          lastname: 'Case',
          email: `fuzz-${Date.now()}@example.com`,
        }),
        'patch /api/users/{userId}': () => ({ title: 'Engineer' }),
        'post /api/roles': () => ({ name: 'Fuzzers' }),
        'put /api/roles/{roleId}/apps': () => ({ appIds: [appId] }),
        'put /api/roles/{roleId}/users': () => ({ userIds: [userId] }),
        'post /api/apps': () => ({ connector: 'calendly', name: 'Fuzz app' }),
        'put /api/apps/{appId}/configuration': () => ({
          scimBaseUrl: org.scimBaseUrl,
          scimBearerToken: org.token,
          dialect: 'onelogin',
        }),
        'put /api/apps/{appId}/parameters': () => ({ scimUsername: 'email' }),
        'put /api/apps/{appId}/provisioning': () => ({
          enabled: true,
          requireApproval: { create: true, update: true, delete: true },
          onDelete: 'suspend',
          onSuspend: 'suspend',
        }),
        'post /api/apps/{appId}/users': () => ({ userId: otherUserId }),
        'post /api/apps/{appId}/tasks/{taskId}/deny': () => ({ reason: 'not now' }),
        'put /api/apps/{appId}/parameters/scim-json-template': () => ({ scimJsonTemplate: null }),
        'post /api/apps/{appId}/parameters/scim-json-template/preview': () => ({
          userId,
          scimJsonTemplate: null,
        }),
        'post /api/apps/{appId}/import/items/{key}': () => ({ action: 'leave' }),
        'post /api/apps/{appId}/plans/{kind}/apply': () => ({ planId: 'f'.repeat(64) }),
        'put /api/apps/{appId}/deletion-safety': () => ({ enabled: false, threshold: 5, windowSeconds: 60 }),
        'post /api/apps/{appId}/deletion-hold/allow': () => ({ count: 0 }),
        'post /api/apps/{appId}/deletion-hold/reject': () => ({ count: 0 }),
        'post /api/apps/{appId}/users/{userId}/provision-now': () => ({ timeoutMs: 0 }),
        'post /api/apps/{appId}/rules': () => ({ ...rule }),
        'put /api/apps/{appId}/rules/{ruleId}': () => ({ ...rule }),
        'put /api/apps/{appId}/rules/order': () => ({ ruleIds: [] }),
        'post /api/apps/{appId}/rules/preview': () => ({ conditions: rule.conditions }),
        'post /api/apps/{appId}/rules/rename-group': () => ({ from: 'QA', to: 'QA Team' }),
      },
    };
  },
  (context) => {
    it('refuses bad filters on the export and the live tail (which takes appId only) before streaming', async () => {
      const cases: Array<[string, string]> = [
        ['/api/provisioning-log/export?format=xml', 'format'],
        ['/api/provisioning-log/export?format=csv&status=bogus', 'status'],
        ['/api/provisioning-log/export?format=ndjson&since=yesterday', 'since'],
        [
          '/api/provisioning-log/export?format=csv&since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z',
          'until',
        ],
        [`/api/provisioning-log/stream?appId=${'a'.repeat(5000)}`, 'appId'],
      ];
      const get = (path: string) =>
        context().subject.operations.find((op) => op.method === 'get' && op.path === path) as Operation;
      for (const [path, field] of cases) {
        const op = get(path.slice(0, path.indexOf('?')));
        const reply = await context().probe(op, path, {});
        expect(reply.status, path).toBe(400);
        expect(reply.body.error.details.field, path).toContain(field);
      }
    });
  },
);
