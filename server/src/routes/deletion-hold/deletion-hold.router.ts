import { z } from 'zod';
import type { DeletionHoldService } from '../../../../shared/src/provisioning/deletion-hold.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import { appViewSchema } from '../../../../shared/src/types/app.schema.ts';
import {
  deletionHoldDecisionSchema,
  deletionSafetySchema,
} from '../../../../shared/src/types/deletion-safety.schema.ts';
import { taskSchema } from '../../../../shared/src/types/task.schema.ts';
import { appView } from '../../presenters/app.presenter.ts';
import { taskView } from '../../presenters/task.presenter.ts';
import type { AppsService } from '../../services/apps.service.ts';
import { appParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';

const ADMIN = 'admin';

const holdSchema = z.object({
  active: z.boolean(),
  since: z.string().nullable(),
  count: z.number().int(),
  tasks: z.array(taskSchema),
});

/** `/api/apps/{appId}/deletion-safety` and `/deletion-hold`: Entra's accidental-deletion threshold. */
export function deletionHoldRoutes(stores: Stores, apps: AppsService, holds: DeletionHoldService): Route[] {
  return [
    route({
      method: 'put',
      path: '/api/apps/{appId}/deletion-safety',
      summary:
        'Accidental-deletion threshold: more than `threshold` deletes or suspends queued within `windowSeconds` are held',
      params: appParamsSchema,
      body: deletionSafetySchema,
      response: appViewSchema,
      handler: async ({ params, body }) => appView(stores, await holds.configure(params.appId, body)),
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}/deletion-hold',
      summary: 'The held deprovisions (pending tasks marked `held`) and since when the app holds them',
      params: appParamsSchema,
      response: holdSchema,
      handler: async ({ params }) => {
        const { hold, tasks } = await apps.deletionHold(params.appId);
        return {
          active: Boolean(hold),
          since: hold?.since ?? null,
          count: tasks.length,
          tasks: tasks.map(taskView),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/deletion-hold/allow',
      summary: 'Allow: ends the hold and approves the held deprovisions; 409 unless `count` matches',
      params: appParamsSchema,
      body: deletionHoldDecisionSchema,
      response: z.object({ allowed: z.number().int() }),
      handler: ({ params, body }) => holds.allow(params.appId, body.count, ADMIN),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/deletion-hold/reject',
      summary: 'Reject: ends the hold and denies the held deprovisions; 409 unless `count` matches',
      params: appParamsSchema,
      body: deletionHoldDecisionSchema,
      response: z.object({ rejected: z.number().int() }),
      handler: ({ params, body }) => holds.reject(params.appId, body.count, ADMIN),
    }),
  ];
}
