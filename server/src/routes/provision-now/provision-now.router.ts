import { Router } from 'express';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import {
  provisionNowInputSchema,
  provisionNowResultSchema,
} from '../../../../shared/src/types/provision-now.schema.ts';
import { appUserParamsSchema } from '../params.schema.ts';
import type { Operation } from '../route-table.ts';
import type { ProvisionNowService } from './provision-now.service.ts';

export const provisionNowOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/apps/{appId}/users/{userId}/provision-now',
    summary:
      'Provision on demand: plan the user now, approve it as the caller, push it ahead of the queue and answer its steps (202 if still running at timeoutMs)',
    body: provisionNowInputSchema,
    response: provisionNowResultSchema,
  },
];

/** `POST /api/apps/:appId/users/:userId/provision-now` (mounted under `/api`, behind admin auth). */
export function createProvisionNowRouter(service: ProvisionNowService): Router {
  const router = Router();
  router.post('/apps/:appId/users/:userId/provision-now', async (req, res) => {
    const { appId, userId } = parseInput(appUserParamsSchema, req.params, 'params');
    const { timeoutMs } = parseInput(provisionNowInputSchema, req.body === undefined ? {} : req.body, 'body');
    const result = await service.run(appId, userId, timeoutMs);
    res.status(result.outcome === 'queued' ? 202 : 200).json(result);
  });
  return router;
}
