import {
  provisionNowInputSchema,
  provisionNowResultSchema,
} from '../../../../shared/src/types/provision-now.schema.ts';
import { appUserParamsSchema } from '../params.schema.ts';
import { type Route, route } from '../route-table.ts';
import type { ProvisionNowService } from './provision-now.service.ts';

/** `POST /api/apps/{appId}/users/{userId}/provision-now`: Entra's provision on demand. */
export function provisionNowRoutes(service: ProvisionNowService): Route[] {
  return [
    route({
      method: 'post',
      path: '/api/apps/{appId}/users/{userId}/provision-now',
      summary:
        'Provision on demand: plan the user now, approve it as the caller, push it ahead of the queue and answer its steps (202 if still running at timeoutMs)',
      params: appUserParamsSchema,
      body: provisionNowInputSchema,
      bodyOptional: true,
      response: provisionNowResultSchema,
      handler: async ({ params, body, res }) => {
        const result = await service.run(params.appId, params.userId, body.timeoutMs);
        res.status(result.outcome === 'queued' ? 202 : 200).json(result);
      },
    }),
  ];
}
