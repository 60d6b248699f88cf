import { Router } from 'express';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import type { Lifecycle } from '../../../../shared/src/provisioning/lifecycle.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import type { Operation } from '../route-table.ts';
import { applyPlanInputSchema, applyResultSchema, bulkPlanSchema, planParamsSchema } from './plans.schema.ts';
import { PlansService } from './plans.service.ts';

/** `/api/apps/:appId/plans/:kind`: what Bulk approve or Reapply Mappings would do, and applying exactly that. */
export function createPlansRouter(stores: Stores, lifecycle: Lifecycle): Router {
  const plans = new PlansService(stores, lifecycle);
  const router = Router();
  router.get('/apps/:appId/plans/:kind', async (req, res) => {
    const { appId, kind } = parseInput(planParamsSchema, req.params, 'params');
    res.json(await plans.plan(await stores.apps.get(appId), kind));
  });
  router.post('/apps/:appId/plans/:kind/apply', async (req, res) => {
    const { appId, kind } = parseInput(planParamsSchema, req.params, 'params');
    const { planId } = parseInput(applyPlanInputSchema, req.body, 'body');
    res.json(await plans.apply(await stores.apps.get(appId), kind, planId));
  });
  return router;
}

export const plansOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/apps/{appId}/plans/{kind}',
    summary:
      "What Bulk approve (kind approve-all) or Reapply Mappings (kind reapply) would do: creates, updates, suspends or deletes, each user's attribute changes (old → new)",
    response: bulkPlanSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/plans/{kind}/apply',
    summary:
      'Applies the plan the admin confirmed; 409 plan_changed (with the new planId) when it is no longer the same',
    body: applyPlanInputSchema,
    response: applyResultSchema,
  },
];
