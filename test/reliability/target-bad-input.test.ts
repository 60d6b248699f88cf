import { expect } from 'vitest';
import { z } from 'zod';
import {
  createOrgBody,
  faultsBody,
  listQuery,
  loginBody,
  outOfBandChangeBody,
  scimBody,
  settingsBody,
  ssoBody,
  tokenBody,
} from '../../target/src/management/management.schema.ts';
import { apiClient } from '../support/api-client.ts';
import { createTargetOrg, waitHealthy } from '../support/factories.ts';
import { startStack } from '../support/stack.ts';
import { badInputSuite } from './support/bad-input-suite.ts';
import type { JsonSchema, Operation } from './support/openapi-operations.ts';

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;

/** The target's management API (api.md) described like an OpenAPI operation, from its own zod schemas. */
function operation(
  method: Operation['method'],
  path: string,
  body?: z.ZodType,
  query?: z.ZodObject,
): Operation {
  return {
    method,
    path,
    public: false,
    hasBody: body !== undefined,
    ...(body ? { body: jsonSchema(body) } : {}),
    pathParams: [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name as string),
    queryParams: Object.entries(query?.shape ?? {}).map(([name, schema]) => ({
      name,
      schema: jsonSchema(schema as z.ZodType),
    })),
  };
}

const OPERATIONS = [
  operation('post', '/target-api/orgs', createOrgBody),
  operation('get', '/target-api/orgs', undefined, listQuery),
  operation('get', '/target-api/orgs/{orgId}'),
  operation('delete', '/target-api/orgs/{orgId}'),
  operation('put', '/target-api/orgs/{orgId}/settings', settingsBody),
  operation('put', '/target-api/orgs/{orgId}/sso', ssoBody),
  operation('put', '/target-api/orgs/{orgId}/scim', scimBody),
  operation('post', '/target-api/orgs/{orgId}/tokens', tokenBody),
  operation('get', '/target-api/orgs/{orgId}/users', undefined, listQuery),
  operation('post', '/target-api/orgs/{orgId}/users/{scimId}/accept-invitation'),
  operation('post', '/target-api/orgs/{orgId}/users/{scimId}/simulate-change', outOfBandChangeBody),
  operation('get', '/target-api/orgs/{orgId}/groups', undefined, listQuery),
  operation('post', '/target-api/orgs/{orgId}/login', loginBody),
  operation('get', '/target-api/orgs/{orgId}/faults'),
  operation('put', '/target-api/orgs/{orgId}/faults', faultsBody),
  operation('get', '/target-api/orgs/{orgId}/requests', undefined, listQuery),
];

badInputSuite(
  'bad input: the built-in target management API answers a clear 4xx and changes nothing',
  async () => {
    const stack = await startStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });
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
      operations: OPERATIONS,
      pathParams: { orgId: org.orgId, scimId: created.body.id },
      validBodies: {
        'post /target-api/orgs': () => ({ name: 'Another Org' }),
        'put /target-api/orgs/{orgId}/settings': () => ({ strictAttributes: false, seatLimit: null }),
        'put /target-api/orgs/{orgId}/sso': () => ({ configured: true, enforced: true }),
        'put /target-api/orgs/{orgId}/scim': () => ({ enabled: true }),
        'post /target-api/orgs/{orgId}/tokens': () => ({ lifetimeDays: 30 }),
        'post /target-api/orgs/{orgId}/login': () => ({ userName: 'fixture@example.com' }),
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
