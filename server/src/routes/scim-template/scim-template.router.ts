import type { Stores } from '../../../../shared/src/store/stores.ts';
import {
  appViewSchema,
  scimTemplateInputSchema,
  scimTemplatePreviewInputSchema,
  scimTemplatePreviewSchema,
} from '../../../../shared/src/types/app.schema.ts';
import { appView } from '../../presenters/app.presenter.ts';
import type { ScimTemplateService } from '../../services/scim-template.service.ts';
import { appParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';

/** `/api/apps/{appId}/parameters/scim-json-template`: the SCIM Provisioner's template. */
export function scimTemplateRoutes(templates: ScimTemplateService, stores: Stores): Route[] {
  return [
    route({
      method: 'put',
      path: '/api/apps/{appId}/parameters/scim-json-template',
      summary: 'Save the SCIM JSON Template (SCIM Provisioner only; null: the built-in mapping)',
      params: appParamsSchema,
      body: scimTemplateInputSchema,
      response: appViewSchema,
      handler: async ({ params, body }) =>
        appView(stores, await templates.save(params.appId, body.scimJsonTemplate)),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/parameters/scim-json-template/preview',
      summary: 'The SCIM user a draft (or the saved) template makes of one directory user',
      params: appParamsSchema,
      body: scimTemplatePreviewInputSchema,
      response: scimTemplatePreviewSchema,
      handler: ({ params, body }) => templates.preview(params.appId, body),
    }),
  ];
}
