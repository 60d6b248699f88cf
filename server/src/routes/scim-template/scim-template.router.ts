import { Router } from 'express';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import {
  appViewSchema,
  scimTemplateInputSchema,
  scimTemplatePreviewInputSchema,
  scimTemplatePreviewSchema,
} from '../../../../shared/src/types/app.schema.ts';
import type { Operation } from '../../openapi/openapi.ts';
import type { AppsService } from '../../services/apps.service.ts';
import type { ScimTemplateService } from '../../services/scim-template.service.ts';
import { appParamsSchema } from '../params.schema.ts';

const TEMPLATE_PATH = '/apps/:appId/parameters/scim-json-template';

export const scimTemplateOperations: Operation[] = [
  {
    method: 'put',
    path: '/api/apps/{appId}/parameters/scim-json-template',
    summary: 'Save the SCIM JSON Template (SCIM Provisioner only; null: the built-in mapping)',
    body: scimTemplateInputSchema,
    response: appViewSchema,
  },
  {
    method: 'post',
    path: '/api/apps/{appId}/parameters/scim-json-template/preview',
    summary: 'The SCIM user a draft (or the saved) template makes of one directory user',
    body: scimTemplatePreviewInputSchema,
    response: scimTemplatePreviewSchema,
  },
];

/** `/api/apps/:appId/parameters/scim-json-template` (mounted under `/api`, behind admin auth). */
export function createScimTemplateRouter(templates: ScimTemplateService, apps: AppsService): Router {
  const router = Router();
  const appId = (params: unknown) => parseInput(appParamsSchema, params, 'params').appId;
  router.put(TEMPLATE_PATH, async (req, res) => {
    const id = appId(req.params);
    const { scimJsonTemplate } = parseInput(scimTemplateInputSchema, req.body, 'body');
    res.json(await apps.view(await templates.save(id, scimJsonTemplate)));
  });
  router.post(`${TEMPLATE_PATH}/preview`, async (req, res) => {
    const id = appId(req.params);
    res.json(await templates.preview(id, parseInput(scimTemplatePreviewInputSchema, req.body, 'body')));
  });
  return router;
}
