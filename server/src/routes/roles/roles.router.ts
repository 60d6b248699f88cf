import {
  createRoleInputSchema,
  listOf,
  listQuerySchema,
  roleAppsInputSchema,
  roleSchema,
  roleUsersInputSchema,
} from '../../../../shared/src/types/directory.schema.ts';
import type { DirectoryService } from '../../services/directory.service.ts';
import { roleParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';

/** `/api/roles`: a user holding a role that has an app is assigned to it. */
export function rolesRoutes(directory: DirectoryService): Route[] {
  return [
    route({
      method: 'post',
      path: '/api/roles',
      summary: 'Create a role',
      status: 201,
      body: createRoleInputSchema,
      response: roleSchema,
      handler: ({ body }) => directory.createRole(body.name),
    }),
    route({
      method: 'get',
      path: '/api/roles',
      summary: 'List roles',
      query: listQuerySchema,
      response: listOf(roleSchema),
      handler: ({ query }) => directory.listRoles(query),
    }),
    route({
      method: 'get',
      path: '/api/roles/{roleId}',
      summary: 'Get a role',
      params: roleParamsSchema,
      response: roleSchema,
      handler: ({ params }) => directory.getRole(params.roleId),
    }),
    route({
      method: 'put',
      path: '/api/roles/{roleId}/apps',
      summary: "Set a role's apps",
      params: roleParamsSchema,
      body: roleAppsInputSchema,
      response: roleSchema,
      handler: ({ params, body }) => directory.setRoleApps(params.roleId, body.appIds),
    }),
    route({
      method: 'put',
      path: '/api/roles/{roleId}/users',
      summary: "Set a role's users",
      params: roleParamsSchema,
      body: roleUsersInputSchema,
      response: roleSchema,
      handler: ({ params, body }) => directory.setRoleUsers(params.roleId, body.userIds),
    }),
  ];
}
