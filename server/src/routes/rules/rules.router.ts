import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import {
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
import type { Operation } from '../route-table.ts';
import type { RulesService } from './rules.service.ts';

const RULES = '/api/apps/{appId}/rules';
const withRule = ruleChangeSchema.extend({ rule: ruleSchema });

export const rulesOperations: Operation[] = [
  {
    method: 'get',
    path: RULES,
    summary: 'The app’s Rules, in order',
    response: z.object({ items: z.array(ruleSchema) }),
  },
  {
    method: 'post',
    path: RULES,
    status: 201,
    summary: 'Add a rule at the end; the app’s users are reconciled (update tasks through approvals)',
    body: ruleInputSchema,
    response: withRule,
  },
  {
    method: 'put',
    path: `${RULES}/order`,
    summary: 'Reorder the rules (every rule id once); the app’s users are reconciled',
    body: ruleOrderInputSchema,
    response: ruleChangeSchema,
  },
  {
    method: 'post',
    path: `${RULES}/preview`,
    summary: 'The app’s assigned users a draft rule’s conditions match',
    body: rulePreviewInputSchema,
    query: ruleMatchesQuerySchema,
    response: ruleMatchesSchema,
  },
  {
    method: 'put',
    path: `${RULES}/{ruleId}`,
    summary: 'Replace a rule (also turns it on or off); the app’s users are reconciled',
    body: ruleInputSchema,
    response: withRule,
  },
  {
    method: 'delete',
    path: `${RULES}/{ruleId}`,
    summary: 'Remove a rule; the app’s users are reconciled',
    response: ruleChangeSchema,
  },
  {
    method: 'get',
    path: `${RULES}/{ruleId}/matches`,
    summary: 'The app’s assigned users the rule’s conditions match (whether it is on or not)',
    query: ruleMatchesQuerySchema,
    response: ruleMatchesSchema,
  },
];

/** `/api/apps/:appId/rules` (mounted under `/api`, behind admin auth). */
export function createRulesRouter(rules: RulesService): Router {
  const router = Router();
  const appId = (params: unknown) => parseInput(appParamsSchema, params, 'params').appId;
  const ruleParams = (params: unknown) => parseInput(ruleParamsSchema, params, 'params');
  router.get('/apps/:appId/rules', async (req, res) => {
    res.json({ items: await rules.list(appId(req.params)) });
  });
  router.post('/apps/:appId/rules', async (req, res) => {
    const id = appId(req.params);
    res.status(201).json(await rules.create(id, parseInput(ruleInputSchema, req.body, 'body')));
  });
  router.put('/apps/:appId/rules/order', async (req, res) => {
    const id = appId(req.params);
    res.json(await rules.reorder(id, parseInput(ruleOrderInputSchema, req.body, 'body').ruleIds));
  });
  router.post('/apps/:appId/rules/preview', async (req, res) => {
    const id = appId(req.params);
    const { limit } = parseInput(ruleMatchesQuerySchema, req.query, 'query');
    const { conditions } = parseInput(rulePreviewInputSchema, req.body, 'body');
    res.json(await rules.matches(id, conditions, limit));
  });
  router.put('/apps/:appId/rules/:ruleId', async (req, res) => {
    const { appId: id, ruleId } = ruleParams(req.params);
    res.json(await rules.replace(id, ruleId, parseInput(ruleInputSchema, req.body, 'body')));
  });
  router.delete('/apps/:appId/rules/:ruleId', async (req, res) => {
    const { appId: id, ruleId } = ruleParams(req.params);
    res.json(await rules.remove(id, ruleId));
  });
  router.get('/apps/:appId/rules/:ruleId/matches', async (req, res) => {
    const { appId: id, ruleId } = ruleParams(req.params);
    const { limit } = parseInput(ruleMatchesQuerySchema, req.query, 'query');
    res.json(await rules.matches(id, await rules.conditionsOf(id, ruleId), limit));
  });
  return router;
}
