import { z } from 'zod';
import {
  appViewSchema,
  configurationInputSchema,
  createAppInputSchema,
  parametersInputSchema,
  provisioningInputSchema,
} from '../../../shared/src/types/app.schema.ts';
import {
  createRoleInputSchema,
  createUserInputSchema,
  listOf,
  listQuerySchema,
  patchUserInputSchema,
  roleAppsInputSchema,
  roleSchema,
  roleUsersInputSchema,
  userListQuerySchema,
  userSchema,
} from '../../../shared/src/types/directory.schema.ts';
import {
  appUserDetailSchema,
  appUserSchema,
  appUsersQuerySchema,
  assignInputSchema,
  denyInputSchema,
  idleQuerySchema,
  taskSchema,
  tasksQuerySchema,
} from '../../../shared/src/types/task.schema.ts';
import { appUserRowSchema } from '../routes/assignments/app-user-rows.ts';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  status?: number;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  public?: boolean;
}

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
const healthSchema = z.object({ status: z.string(), redis: z.string(), workers: z.number().nullable() });

/** The API's operations, their inputs and outputs: the one table the OpenAPI document is generated from. */
export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/health',
    summary: 'Health of Redis and the worker processes',
    response: healthSchema,
    public: true,
  },
  {
    method: 'post',
    path: '/api/users',
    summary: 'Create a directory user',
    status: 201,
    body: createUserInputSchema,
    response: userSchema,
  },
  {
    method: 'get',
    path: '/api/users',
    summary: 'List users',
    query: userListQuerySchema,
    response: listOf(userSchema),
  },
  { method: 'get', path: '/api/users/{userId}', summary: 'Get a user', response: userSchema },
  {
    method: 'get',
    path: '/api/users/{userId}/apps',
    summary: "The apps that hold the user (assigned, or once assigned), with the user's state in each",
    response: z.object({ items: z.array(appUserSchema.extend({ appId: z.string() })) }),
  },
  {
    method: 'patch',
    path: '/api/users/{userId}',
    summary: 'Edit a user (assigned apps get an update task)',
    body: patchUserInputSchema,
    response: userSchema,
  },
  { method: 'post', path: '/api/users/{userId}/suspend', summary: 'Suspend a user', response: userSchema },
  {
    method: 'post',
    path: '/api/users/{userId}/reactivate',
    summary: 'Reactivate a user',
    response: userSchema,
  },
  {
    method: 'delete',
    path: '/api/users/{userId}',
    summary: 'Delete a user (each app applies its deprovisioning action)',
    status: 204,
  },
  {
    method: 'post',
    path: '/api/roles',
    summary: 'Create a role',
    status: 201,
    body: createRoleInputSchema,
    response: roleSchema,
  },
  {
    method: 'get',
    path: '/api/roles',
    summary: 'List roles',
    query: listQuerySchema,
    response: listOf(roleSchema),
  },
  { method: 'get', path: '/api/roles/{roleId}', summary: 'Get a role', response: roleSchema },
  {
    method: 'put',
    path: '/api/roles/{roleId}/apps',
    summary: "Set a role's apps",
    body: roleAppsInputSchema,
    response: roleSchema,
  },
  {
    method: 'put',
    path: '/api/roles/{roleId}/users',
    summary: "Set a role's users",
    body: roleUsersInputSchema,
    response: roleSchema,
  },
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

/** OpenAPI 3 for every operation in `OPERATIONS` plus any extra operations (e.g. the provisioning log's). */
export function buildOpenApiDocument(extra: Operation[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...OPERATIONS, ...extra]) {
    const status = String(op.status ?? 200);
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = {
      summary: op.summary,
      ...(op.public ? { security: [] } : {}),
      parameters: [...pathParameters(op.path), ...(op.query ? queryParameters(op.query) : [])],
      ...(op.body
        ? {
            requestBody: {
              required: true,
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

export type { Operation };
