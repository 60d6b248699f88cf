import { Router } from 'express';
import { z } from 'zod';
import {
  importDecisionInputSchema,
  importItemParamsSchema,
  importItemSchema,
  importPageSchema,
  importQuerySchema,
  importSummarySchema,
} from '../../../../shared/src/types/import.schema.ts';
import { parseInput } from '../../http/validate.ts';
import type { Operation } from '../../openapi/openapi.ts';
import type { ImportService } from '../../services/import.service.ts';
import { appParamsSchema } from '../params.schema.ts';

export const importOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/apps/{appId}/import',
    summary: 'Import from app: read every target account and match it to the directory by SCIM username',
    response: importSummarySchema,
  },
  {
    method: 'get',
    path: '/api/apps/{appId}/import',
    summary: 'The last import: matched, drifted (with per-attribute diffs) and unmatched accounts',
    query: importQuerySchema,
    response: importPageSchema,
  },
  {
    method: 'get',
    path: '/api/apps/{appId}/import/summary',
    summary: 'The last import in figures, or lastImport null before the first',
    response: z.object({ lastImport: importSummarySchema.nullable() }),
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/import/items/{key}',
    summary: 'Link, reconcile (a task through the approval queue) or leave one imported account',
    body: importDecisionInputSchema,
    response: importItemSchema,
  },
];

/** `/api/apps/:appId/import` (mounted under `/api`, behind admin auth). */
export function createImportRouter(imports: ImportService): Router {
  const router = Router();
  router.post('/apps/:appId/import', async (req, res) => {
    res.json(await imports.run(parseInput(appParamsSchema, req.params, 'params').appId));
  });
  router.get('/apps/:appId/import', async (req, res) => {
    const { appId } = parseInput(appParamsSchema, req.params, 'params');
    res.json(await imports.page(appId, parseInput(importQuerySchema, req.query, 'query')));
  });
  router.get('/apps/:appId/import/summary', async (req, res) => {
    res.json(await imports.latest(parseInput(appParamsSchema, req.params, 'params').appId));
  });
  router.post('/apps/:appId/import/items/:key', async (req, res) => {
    const { appId, key } = parseInput(importItemParamsSchema, req.params, 'params');
    const { action } = parseInput(importDecisionInputSchema, req.body, 'body');
    res.json(await imports.decide(appId, key, action));
  });
  return router;
}
