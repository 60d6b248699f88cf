import { z } from 'zod';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import {
  appViewSchema,
  CONNECTORS,
  configurationInputSchema,
  createAppInputSchema,
  parametersInputSchema,
  provisioningInputSchema,
} from '../../../../shared/src/types/app.schema.ts';
import { listOf, listQuerySchema } from '../../../../shared/src/types/directory.schema.ts';
import { appView } from '../../presenters/app.presenter.ts';
import type { AppsService } from '../../services/apps.service.ts';
import { appParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';

const connectorsSchema = z.array(
  z.object({ id: z.string(), name: z.string(), customAttributes: z.boolean() }),
);

/** `/api/connectors` and `/api/apps`: the catalog, app configuration and provisioning settings. */
export function appsRoutes(stores: Stores, apps: AppsService): Route[] {
  return [
    route({
      method: 'get',
      path: '/api/connectors',
      summary: 'The app catalog',
      response: connectorsSchema,
      handler: () => CONNECTORS,
    }),
    route({
      method: 'post',
      path: '/api/apps',
      summary: 'Add an app from the catalog',
      status: 201,
      body: createAppInputSchema,
      response: appViewSchema,
      handler: async ({ body }) => appView(stores, await apps.create(body.connector, body.name)),
    }),
    route({
      method: 'get',
      path: '/api/apps',
      summary: 'List apps',
      query: listQuerySchema,
      response: listOf(appViewSchema),
      handler: async ({ query }) => {
        const page = await apps.list(query);
        return {
          items: await Promise.all(page.items.map((app) => appView(stores, app))),
          nextCursor: page.nextCursor,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/apps/{appId}',
      summary: 'Get an app',
      params: appParamsSchema,
      response: appViewSchema,
      handler: async ({ params }) => appView(stores, await apps.get(params.appId)),
    }),
    route({
      method: 'delete',
      path: '/api/apps/{appId}',
      summary: 'Delete an app and drain its queue',
      status: 204,
      params: appParamsSchema,
      handler: ({ params }) => apps.remove(params.appId),
    }),
    route({
      method: 'put',
      path: '/api/apps/{appId}/configuration',
      summary: 'SCIM Base URL, Bearer Token, dialect',
      params: appParamsSchema,
      body: configurationInputSchema,
      response: appViewSchema,
      handler: async ({ params, body }) => appView(stores, await apps.configure(params.appId, body)),
    }),
    route({
      method: 'post',
      path: '/api/apps/{appId}/configuration/enable',
      summary: 'Test the API connection (lifts a quarantine)',
      params: appParamsSchema,
      response: appViewSchema,
      handler: async ({ params }) => appView(stores, await apps.enable(params.appId)),
    }),
    route({
      method: 'put',
      path: '/api/apps/{appId}/parameters',
      summary: 'SCIM Username and custom parameters',
      params: appParamsSchema,
      body: parametersInputSchema,
      response: appViewSchema,
      handler: async ({ params, body }) => appView(stores, await apps.setParameters(params.appId, body)),
    }),
    route({
      method: 'put',
      path: '/api/apps/{appId}/provisioning',
      summary: 'Workflow, approvals, deprovisioning actions',
      params: appParamsSchema,
      body: provisioningInputSchema,
      response: appViewSchema,
      handler: async ({ params, body }) => appView(stores, await apps.setProvisioning(params.appId, body)),
    }),
  ];
}
