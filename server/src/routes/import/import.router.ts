import { z } from 'zod';
import {
  importDecisionInputSchema,
  importItemParamsSchema,
  importItemSchema,
  importPageSchema,
  importQuerySchema,
  importSummarySchema,
} from '../../../../shared/src/types/import.schema.ts';
import type { ImportService } from '../../services/import.service.ts';
import { appParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';

/** `/api/apps/{appId}/import`: read the target's accounts, match them, decide each. */
export function importRoutes(imports: ImportService): Route[] {
  return [
    route({
      method: 'post',
      path: '/api/apps/{appId}/import',
      summary: 'Import from app: read every target account and match it to the directory by SCIM username',
      params: appParamsSchema,
      response: importSummarySchema,
      handler: ({ params }) => imports.run(params.appId),
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}/import',
      summary: 'The last import: matched, drifted (with per-attribute diffs) and unmatched accounts',
      params: appParamsSchema,
      query: importQuerySchema,
      response: importPageSchema,
      handler: ({ params, query }) => imports.page(params.appId, query),
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}/import/summary',
      summary: 'The last import in figures, or lastImport null before the first',
      params: appParamsSchema,
      response: z.object({ lastImport: importSummarySchema.nullable() }),
      handler: ({ params }) => imports.latest(params.appId),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/import/items/{key}',
      summary: 'Link, reconcile (a task through the approval queue) or leave one imported account',
      params: importItemParamsSchema,
      body: importDecisionInputSchema,
      response: importItemSchema,
      handler: ({ params, body }) => imports.decide(params.appId, params.key, body.action),
    }),
  ];
}
