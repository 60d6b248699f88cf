import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import { type DeletionHoldService, heldTasks } from '../../../../shared/src/provisioning/deletion-hold.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import { appViewSchema } from '../../../../shared/src/types/app.schema.ts';
import {
  deletionHoldDecisionSchema,
  deletionSafetySchema,
} from '../../../../shared/src/types/deletion-safety.schema.ts';
import { taskSchema } from '../../../../shared/src/types/task.schema.ts';
import type { AppsService } from '../../services/apps.service.ts';
import { taskView } from '../assignments/task-view.ts';
import { appParamsSchema } from '../params.schema.ts';
import type { Operation } from '../route-table.ts';

const ADMIN = 'admin';

const holdSchema = z.object({
  active: z.boolean(),
  since: z.string().nullable(),
  count: z.number().int(),
  tasks: z.array(taskSchema),
});

export const deletionHoldOperations: Operation[] = [
  {
    method: 'put',
    path: '/api/apps/{appId}/deletion-safety',
    summary:
      'Accidental-deletion threshold: more than `threshold` deletes or suspends queued within `windowSeconds` are held',
    body: deletionSafetySchema,
    response: appViewSchema,
  },
  {
    method: 'get',
    path: '/api/apps/{appId}/deletion-hold',
    summary: 'The held deprovisions (pending tasks marked `held`) and since when the app holds them',
    response: holdSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/deletion-hold/allow',
    summary: 'Allow: ends the hold and approves the held deprovisions; 409 unless `count` matches',
    body: deletionHoldDecisionSchema,
    response: z.object({ allowed: z.number().int() }),
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/deletion-hold/reject',
    summary: 'Reject: ends the hold and denies the held deprovisions; 409 unless `count` matches',
    body: deletionHoldDecisionSchema,
    response: z.object({ rejected: z.number().int() }),
  },
];

/** `/api/apps/:appId/deletion-safety` and `/deletion-hold` (mounted under `/api`, behind admin auth). */
export function createDeletionHoldRouter(
  stores: Stores,
  holds: DeletionHoldService,
  apps: AppsService,
): Router {
  const router = Router();
  const appId = (params: unknown) => parseInput(appParamsSchema, params, 'params').appId;
  router.put('/apps/:appId/deletion-safety', async (req, res) => {
    const id = appId(req.params);
    const safety = parseInput(deletionSafetySchema, req.body, 'body');
    res.json(await apps.view(await holds.configure(id, safety)));
  });
  router.get('/apps/:appId/deletion-hold', async (req, res) => {
    const app = await stores.apps.get(appId(req.params));
    const tasks = app.deletionHold ? await heldTasks(stores, app.id) : [];
    res.json({
      active: Boolean(app.deletionHold),
      since: app.deletionHold?.since ?? null,
      count: tasks.length,
      tasks: tasks.map(taskView),
    });
  });
  router.post('/apps/:appId/deletion-hold/allow', async (req, res) => {
    const id = appId(req.params);
    const { count } = parseInput(deletionHoldDecisionSchema, req.body, 'body');
    res.json(await holds.allow(id, count, ADMIN));
  });
  router.post('/apps/:appId/deletion-hold/reject', async (req, res) => {
    const id = appId(req.params);
    const { count } = parseInput(deletionHoldDecisionSchema, req.body, 'body');
    res.json(await holds.reject(id, count, ADMIN));
  });
  return router;
}
