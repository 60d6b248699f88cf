import { z } from 'zod';
import {
  groupRenameInputSchema,
  groupRenameSchema,
  ruleChangeSchema,
  ruleInputSchema,
  ruleMatchesQuerySchema,
  ruleMatchesSchema,
  ruleOrderInputSchema,
  ruleParamsSchema,
  rulePreviewInputSchema,
  ruleSchema,
} from '../../../../shared/src/types/rules.schema.ts';
import { appParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';
import type { RulesService } from './rules.service.ts';

const RULES = '/api/apps/{appId}/rules';
const withRule = ruleChangeSchema.extend({ rule: ruleSchema });

/** `/api/apps/{appId}/rules`: OneLogin's Rules, ordered, each reconciling the app's users when it changes. */
export function rulesRoutes(rules: RulesService): Route[] {
  return [
    route({
      method: 'get',
      path: RULES,
      summary: 'The app’s Rules, in order',
      params: appParamsSchema,
      response: z.object({ items: z.array(ruleSchema) }),
      handler: async ({ params }) => ({ items: await rules.list(params.appId) }),
    }),
    route({
      method: 'post',
      path: RULES,
      status: 201,
      summary: 'Add a rule at the end; the app’s users are reconciled (update tasks through approvals)',
      params: appParamsSchema,
      body: ruleInputSchema,
      response: withRule,
      handler: ({ params, body }) => rules.create(params.appId, body),
    }),
    route({
      method: 'put',
      path: `${RULES}/order`,
      summary: 'Reorder the rules (every rule id once); the app’s users are reconciled',
      params: appParamsSchema,
      body: ruleOrderInputSchema,
      response: ruleChangeSchema,
      handler: ({ params, body }) => rules.reorder(params.appId, body.ruleIds),
    }),
    route({
      method: 'post',
      path: `${RULES}/preview`,
      summary: 'The app’s assigned users a draft rule’s conditions match',
      params: appParamsSchema,
      query: ruleMatchesQuerySchema,
      body: rulePreviewInputSchema,
      response: ruleMatchesSchema,
      handler: ({ params, query, body }) => rules.matches(params.appId, body.conditions, query.limit),
    }),
    route({
      method: 'post',
      path: `${RULES}/rename-group`,
      summary:
        'Rename a group the rules set: one PATCH of its displayName on the target, the rules and the members’ recorded groups follow (no member moves)',
      params: appParamsSchema,
      body: groupRenameInputSchema,
      response: groupRenameSchema,
      handler: ({ params, body }) => rules.renameGroup(params.appId, body),
    }),
    route({
      method: 'put',
      path: `${RULES}/{ruleId}`,
      summary: 'Replace a rule (also turns it on or off); the app’s users are reconciled',
      params: ruleParamsSchema,
      body: ruleInputSchema,
      response: withRule,
      handler: ({ params, body }) => rules.replace(params.appId, params.ruleId, body),
    }),
    route({
      method: 'delete',
      path: `${RULES}/{ruleId}`,
      summary: 'Remove a rule; the app’s users are reconciled',
      params: ruleParamsSchema,
      response: ruleChangeSchema,
      handler: ({ params }) => rules.remove(params.appId, params.ruleId),
    }),
    route({
      method: 'get',
      path: `${RULES}/{ruleId}/matches`,
      summary: 'The app’s assigned users the rule’s conditions match (whether it is on or not)',
      params: ruleParamsSchema,
      query: ruleMatchesQuerySchema,
      response: ruleMatchesSchema,
      handler: async ({ params, query }) =>
        rules.matches(params.appId, await rules.conditionsOf(params.appId, params.ruleId), query.limit),
    }),
  ];
}
