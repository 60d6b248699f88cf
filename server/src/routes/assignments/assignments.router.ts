import { z } from 'zod';
import type { Lifecycle } from '../../../../shared/src/provisioning/lifecycle.ts';
import type { PushQueues } from '../../../../shared/src/store/push-queues.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import { listOf } from '../../../../shared/src/types/directory.schema.ts';
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
} from '../../../../shared/src/types/task.schema.ts';
import { createAppUserRows } from '../../presenters/app-user-rows.presenter.ts';
import { taskView } from '../../presenters/task.presenter.ts';
import type { AssignmentsService } from '../../services/assignments.service.ts';
import { waitForIdle } from '../../services/idle.service.ts';
import { appParamsSchema, appUserParamsSchema, taskParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';

/** `/api/apps/{appId}/...`: assignments, the approval queue, reapply mappings and the idle wait. */
export function assignmentsRoutes(deps: {
  stores: Stores;
  queues: PushQueues;
  assignments: AssignmentsService;
  lifecycle: Lifecycle;
}): Route[] {
  const { stores, queues, assignments, lifecycle } = deps;
  const appUserRows = createAppUserRows(stores);
  return [
    route({
      method: 'post',
      path: '/api/apps/{appId}/users',
      summary: 'Assign a user to the app',
      status: 201,
      params: appParamsSchema,
      body: assignInputSchema,
      response: appUserSchema,
      handler: ({ params, body }) => assignments.assign(params.appId, body.userId),
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}/users',
      summary: "The app's users by state, with their names and where their access comes from",
      params: appParamsSchema,
      query: appUsersQuerySchema,
      response: listOf(appUserRowSchema),
      handler: async ({ params: { appId }, query }) => {
        const page = await assignments.users(appId, query);
        return { items: await appUserRows(appId, page.items), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}/users/{userId}',
      summary: 'One app user with its desired SCIM resource',
      params: appUserParamsSchema,
      response: appUserDetailSchema,
      handler: ({ params }) => assignments.detail(params.appId, params.userId),
    }),
    route({
      method: 'delete',
      path: '/api/apps/{appId}/users/{userId}',
      summary: 'Unassign (deprovisioning action)',
      status: 204,
      params: appUserParamsSchema,
      handler: ({ params }) => assignments.unassign(params.appId, params.userId),
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}/tasks',
      summary: 'Approval queue and task history',
      params: appParamsSchema,
      query: tasksQuerySchema,
      response: listOf(taskSchema),
      handler: async ({ params: { appId }, query }) => {
        const page = await assignments.tasks(appId, query);
        return { items: page.items.map(taskView), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/tasks/approve-all',
      summary: 'Bulk approve X pending',
      params: appParamsSchema,
      response: z.object({ approved: z.number() }),
      handler: async ({ params }) => ({ approved: await assignments.approveAll(params.appId) }),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/tasks/{taskId}/approve',
      summary: 'Approve a pending task',
      params: taskParamsSchema,
      response: taskSchema,
      handler: async ({ params }) => taskView(await lifecycle.approve(params.appId, params.taskId)),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/tasks/{taskId}/deny',
      summary: 'Deny a pending task',
      params: taskParamsSchema,
      body: denyInputSchema,
      bodyOptional: true,
      response: taskSchema,
      handler: async ({ params, body }) =>
        taskView(await lifecycle.deny(params.appId, params.taskId, body.reason)),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/tasks/{taskId}/retry',
      summary: 'Retry a failed task',
      params: taskParamsSchema,
      response: taskSchema,
      handler: async ({ params }) => taskView(await lifecycle.retry(params.appId, params.taskId)),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/reapply-mappings',
      summary: 'Apply to all > Reapply Mappings',
      params: appParamsSchema,
      response: z.object({ queued: z.number(), pending: z.number(), unchanged: z.number() }),
      handler: ({ params }) => assignments.reapply(params.appId),
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}/idle',
      summary: 'Wait until no task of the app is queued or running',
      params: appParamsSchema,
      query: idleQuerySchema,
      response: z.object({ idle: z.boolean() }),
      handler: async ({ params, query }) => ({
        idle: await waitForIdle(stores, lifecycle, queues, params.appId, query.timeoutMs),
      }),
    }),
  ];
}
