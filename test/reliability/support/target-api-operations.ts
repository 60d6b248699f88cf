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
} from '../../../scim-target/src/management/management.schema.ts';
import type { JsonSchema, Operation } from './openapi-operations.ts';

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

/** Every operation of the built-in target's management API. */
export const TARGET_API_OPERATIONS: Operation[] = [
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
  operation('post', '/target-api/orgs/{orgId}/login-attempts', loginBody),
  operation('post', '/target-api/orgs/{orgId}/users/{scimId}/simulate-change', outOfBandChangeBody),
  operation('get', '/target-api/orgs/{orgId}/groups', undefined, listQuery),
  operation('post', '/target-api/orgs/{orgId}/login', loginBody),
  operation('get', '/target-api/orgs/{orgId}/faults'),
  operation('put', '/target-api/orgs/{orgId}/faults', faultsBody),
  operation('get', '/target-api/orgs/{orgId}/requests', undefined, listQuery),
];
