import { z } from 'zod';
import {
  createUserInputSchema,
  listOf,
  patchUserInputSchema,
  userListQuerySchema,
  userSchema,
} from '../../../../shared/src/types/directory.schema.ts';
import { appUserSchema } from '../../../../shared/src/types/task.schema.ts';
import { appUserView } from '../../presenters/app-user.presenter.ts';
import type { DirectoryService } from '../../services/directory.service.ts';
import { userParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';

/** `/api/users`: the directory. */
export function usersRoutes(directory: DirectoryService): Route[] {
  return [
    route({
      method: 'post',
      path: '/api/users',
      summary: 'Create a directory user',
      status: 201,
      body: createUserInputSchema,
      response: userSchema,
      handler: ({ body }) => directory.createUser(body),
    }),
    route({
      method: 'get',
      path: '/api/users',
      summary: 'List users',
      query: userListQuerySchema,
      response: listOf(userSchema),
      handler: ({ query }) => directory.listUsers(query),
    }),
    route({
      method: 'get',
      path: '/api/users/{userId}',
      summary: 'Get a user',
      params: userParamsSchema,
      response: userSchema,
      handler: ({ params }) => directory.getUser(params.userId),
    }),
    route({
      method: 'get',
      path: '/api/users/{userId}/apps',
      summary: "The apps that hold the user (assigned, or once assigned), with the user's state in each",
      params: userParamsSchema,
      response: z.object({ items: z.array(appUserSchema.extend({ appId: z.string() })) }),
      handler: async ({ params }) => ({
        items: (await directory.appsOfUser(params.userId)).map(({ appId, record }) => ({
          appId,
          ...appUserView(record),
        })),
      }),
    }),
    route({
      method: 'patch',
      path: '/api/users/{userId}',
      summary: 'Edit a user (assigned apps get an update task)',
      params: userParamsSchema,
      body: patchUserInputSchema,
      bodyOptional: true,
      response: userSchema,
      handler: ({ params, body }) => directory.updateUser(params.userId, body),
    }),
    route({
      method: 'post',
      path: '/api/users/{userId}/suspend',
      summary: 'Suspend a user',
      params: userParamsSchema,
      response: userSchema,
      handler: ({ params }) => directory.setStatus(params.userId, 'suspended'),
    }),
    route({
      method: 'post',
      path: '/api/users/{userId}/reactivate',
      summary: 'Reactivate a user',
      params: userParamsSchema,
      response: userSchema,
      handler: ({ params }) => directory.setStatus(params.userId, 'active'),
    }),
    route({
      method: 'delete',
      path: '/api/users/{userId}',
      summary: 'Delete a user (each app applies its deprovisioning action)',
      status: 204,
      params: userParamsSchema,
      handler: ({ params }) => directory.deleteUser(params.userId),
    }),
  ];
}
