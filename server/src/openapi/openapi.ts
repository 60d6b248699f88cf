import { z } from 'zod';
import {
  appViewSchema,
  configurationInputSchema,
  createAppInputSchema,
  parametersInputSchema,
  provisioningInputSchema,
} from '../../../shared/src/types/app.schema.ts';
import { listOf, listQuerySchema } from '../../../shared/src/types/directory.schema.ts';
import {
  appUserDetailSchema,
  appUserRowSchema,
  appUserSchema,
  appUsersQuerySchema,
  assignInputSchema,
  denyInputSchema,
  idleQuerySchema,
  taskSchema,
  tasksQuerySchema,
} from '../../../shared/src/types/task.schema.ts';
import type { Operation } from '../routes/route-table.ts';

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/**
 * Operations whose routers are not route tables yet (server/src/routes/route-table.ts): declared here
 * beside their express routes. A router turned into a table leaves this list.
 */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/api/connectors', summary: 'The app catalog' },
  {
    method: 'post',
    path: '/api/apps',
    summary: 'Add an app from the catalog',
    status: 201,
    body: createAppInputSchema,
    response: appViewSchema,
  },
  {
    method: 'get',
    path: '/api/apps',
    summary: 'List apps',
    query: listQuerySchema,
    response: listOf(appViewSchema),
  },
  { method: 'get', path: '/api/apps/{appId}', summary: 'Get an app', response: appViewSchema },
  { method: 'delete', path: '/api/apps/{appId}', summary: 'Delete an app and drain its queue', status: 204 },
  {
    method: 'put',
    path: '/api/apps/{appId}/configuration',
    summary: 'SCIM Base URL, Bearer Token, dialect',
    body: configurationInputSchema,
    response: appViewSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/configuration/enable',
    summary: 'Test the API connection (lifts a quarantine)',
    response: appViewSchema,
  },
  {
    method: 'put',
    path: '/api/apps/{appId}/parameters',
    summary: 'SCIM Username and custom parameters',
    body: parametersInputSchema,
    response: appViewSchema,
  },
  {
    method: 'put',
    path: '/api/apps/{appId}/provisioning',
    summary: 'Workflow, approvals, deprovisioning actions',
    body: provisioningInputSchema,
    response: appViewSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/users',
    summary: 'Assign a user to the app',
    status: 201,
    body: assignInputSchema,
    response: appUserSchema,
  },
  {
    method: 'get',
    path: '/api/apps/{appId}/users',
    summary: "The app's users by state, with their names and where their access comes from",
    query: appUsersQuerySchema,
    response: listOf(appUserRowSchema),
  },
  {
    method: 'get',
    path: '/api/apps/{appId}/users/{userId}',
    summary: 'One app user with its desired SCIM resource',
    response: appUserDetailSchema,
  },
  {
    method: 'delete',
    path: '/api/apps/{appId}/users/{userId}',
    summary: 'Unassign (deprovisioning action)',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/apps/{appId}/tasks',
    summary: 'Approval queue and task history',
    query: tasksQuerySchema,
    response: listOf(taskSchema),
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/tasks/{taskId}/approve',
    summary: 'Approve a pending task',
    response: taskSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/tasks/{taskId}/deny',
    summary: 'Deny a pending task',
    body: denyInputSchema,
    response: taskSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/tasks/approve-all',
    summary: 'Bulk approve X pending',
    response: z.object({ approved: z.number() }),
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/tasks/{taskId}/retry',
    summary: 'Retry a failed task',
    response: taskSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/reapply-mappings',
    summary: 'Apply to all > Reapply Mappings',
    response: z.object({ queued: z.number(), pending: z.number(), unchanged: z.number() }),
  },
  {
    method: 'get',
    path: '/api/apps/{appId}/idle',
    summary: 'Wait until no task of the app is queued or running',
    query: idleQuerySchema,
    response: z.object({ idle: z.boolean() }),
  },
];

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

function queryParameters(query: z.ZodObject) {
  return Object.entries(query.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !(schema as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(schema as z.ZodType, 'input'),
  }));
}

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));

/** OpenAPI 3 for `operations` (the route tables' and the rest, see app.ts). */
export function buildOpenApiDocument(operations: readonly Operation[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const status = String(op.status ?? 200);
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = {
      summary: op.summary,
      ...(op.public ? { security: [] } : {}),
      parameters: [...pathParameters(op.path), ...(op.query ? queryParameters(op.query) : [])],
      ...(op.body
        ? {
            requestBody: {
              required: !op.bodyOptional,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: 'OK',
          ...(op.response
            ? { content: { 'application/json': { schema: jsonSchema(op.response, 'output') } } }
            : {}),
        },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'provisim',
      version: '0.1.0',
      description: 'Identity-provider-side SCIM provisioning simulator',
    },
    components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
    security: [{ adminToken: [] }],
    paths,
  };
}
