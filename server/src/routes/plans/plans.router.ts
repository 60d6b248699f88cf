import { type Route, route } from '../route-table.ts';
import { applyPlanInputSchema, applyResultSchema, bulkPlanSchema, planParamsSchema } from './plans.schema.ts';
import type { PlansService } from './plans.service.ts';

/** `/api/apps/{appId}/plans/{kind}`: what Bulk approve or Reapply Mappings would do, and applying exactly that. */
export function plansRoutes(plans: PlansService): Route[] {
  return [
    route({
      method: 'get',
      path: '/api/apps/{appId}/plans/{kind}',
      summary:
        "What Bulk approve (kind approve-all) or Reapply Mappings (kind reapply) would do: creates, updates, suspends or deletes, each user's attribute changes (old → new)",
      params: planParamsSchema,
      response: bulkPlanSchema,
      handler: ({ params }) => plans.plan(params.appId, params.kind),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/plans/{kind}/apply',
      summary:
        'Applies the plan the admin confirmed; 409 plan_changed (with the new planId) when it is no longer the same',
      params: planParamsSchema,
      body: applyPlanInputSchema,
      response: applyResultSchema,
      handler: ({ params, body }) => plans.apply(params.appId, params.kind, body.planId),
    }),
  ];
}
