import { Router } from 'express';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import type { Lifecycle } from '../../../../shared/src/provisioning/lifecycle.ts';
import type { PushQueues } from '../../../../shared/src/store/push-queues.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import {
  appUsersQuerySchema,
  assignInputSchema,
  denyInputSchema,
  idleQuerySchema,
  tasksQuerySchema,
} from '../../../../shared/src/types/task.schema.ts';
import type { AssignmentsService } from '../../services/assignments.service.ts';
import { waitForIdle } from '../../services/idle.service.ts';
import { appParamsSchema, appUserParamsSchema, taskParamsSchema } from '../params.schema.ts';
import { createAppUserRows } from './app-user-rows.ts';
import { taskView } from './task-view.ts';

/** `/api/apps/:appId/...`: assignments, the approval queue, reapply mappings and the idle wait. */
export function createAssignmentsRouter(deps: {
  stores: Stores;
  queues: PushQueues;
  assignments: AssignmentsService;
  lifecycle: Lifecycle;
}): Router {
  const { stores, queues, assignments, lifecycle } = deps;
  const appUserRows = createAppUserRows(stores);
  const router = Router();
  const appId = (params: unknown) => parseInput(appParamsSchema, params, 'params').appId;

  router.post('/apps/:appId/users', async (req, res) => {
    const id = appId(req.params);
    res
      .status(201)
      .json(await assignments.assign(id, parseInput(assignInputSchema, req.body, 'body').userId));
  });
  router.get('/apps/:appId/users', async (req, res) => {
    const id = appId(req.params);
    await stores.apps.get(id);
    const page = await stores.appUsers.list(id, parseInput(appUsersQuerySchema, req.query, 'query'));
    res.json({ items: await appUserRows(id, page.items), nextCursor: page.nextCursor });
  });
  router.get('/apps/:appId/users/:userId', async (req, res) => {
    const params = parseInput(appUserParamsSchema, req.params, 'params');
    res.json(await assignments.detail(params.appId, params.userId));
  });
  router.delete('/apps/:appId/users/:userId', async (req, res) => {
    const params = parseInput(appUserParamsSchema, req.params, 'params');
    await assignments.unassign(params.appId, params.userId);
    res.status(204).end();
  });

  router.get('/apps/:appId/tasks', async (req, res) => {
    const id = appId(req.params);
    await stores.apps.get(id);
    const page = await stores.tasks.list(id, parseInput(tasksQuerySchema, req.query, 'query'));
    res.json({ items: page.items.map(taskView), nextCursor: page.nextCursor });
  });
  router.post('/apps/:appId/tasks/approve-all', async (req, res) => {
    const id = appId(req.params);
    await stores.apps.get(id);
    res.json({ approved: await lifecycle.approveAll(id) });
  });
  router.post('/apps/:appId/tasks/:taskId/approve', async (req, res) => {
    const params = parseInput(taskParamsSchema, req.params, 'params');
    res.json(taskView(await lifecycle.approve(params.appId, params.taskId)));
  });
  router.post('/apps/:appId/tasks/:taskId/deny', async (req, res) => {
    const params = parseInput(taskParamsSchema, req.params, 'params');
    const { reason } = parseInput(denyInputSchema, req.body ?? {}, 'body');
    res.json(taskView(await lifecycle.deny(params.appId, params.taskId, reason)));
  });
  router.post('/apps/:appId/tasks/:taskId/retry', async (req, res) => {
    const params = parseInput(taskParamsSchema, req.params, 'params');
    res.json(taskView(await lifecycle.retry(params.appId, params.taskId)));
  });
  router.post('/apps/:appId/reapply-mappings', async (req, res) => {
    res.json(await lifecycle.reapply(await stores.apps.get(appId(req.params))));
  });
  router.get('/apps/:appId/idle', async (req, res) => {
    const id = appId(req.params);
    const { timeoutMs } = parseInput(idleQuerySchema, req.query, 'query');
    res.json({ idle: await waitForIdle(stores, lifecycle, queues, id, timeoutMs) });
  });
  return router;
}
