import { Router } from 'express';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import {
  CONNECTORS,
  configurationInputSchema,
  createAppInputSchema,
  parametersInputSchema,
  provisioningInputSchema,
} from '../../../../shared/src/types/app.schema.ts';
import { listQuerySchema } from '../../../../shared/src/types/directory.schema.ts';
import type { AppsService } from '../../services/apps.service.ts';
import { appParamsSchema } from '../params.schema.ts';

/** `/api/connectors` and `/api/apps`: the catalog, app configuration and provisioning settings. */
export function createAppsRouter(stores: Stores, apps: AppsService): Router {
  const router = Router();
  const appId = (params: unknown) => parseInput(appParamsSchema, params, 'params').appId;
  router.get('/connectors', (_req, res) => {
    res.json(CONNECTORS);
  });
  router.post('/apps', async (req, res) => {
    const input = parseInput(createAppInputSchema, req.body, 'body');
    res.status(201).json(await apps.view(await apps.create(input.connector, input.name)));
  });
  router.get('/apps', async (req, res) => {
    const page = await stores.apps.list(parseInput(listQuerySchema, req.query, 'query'));
    res.json({
      items: await Promise.all(page.items.map((app) => apps.view(app))),
      nextCursor: page.nextCursor,
    });
  });
  router.get('/apps/:appId', async (req, res) => {
    res.json(await apps.view(await stores.apps.get(appId(req.params))));
  });
  router.delete('/apps/:appId', async (req, res) => {
    await apps.remove(appId(req.params));
    res.status(204).end();
  });
  router.put('/apps/:appId/configuration', async (req, res) => {
    const id = appId(req.params);
    res.json(
      await apps.view(await apps.configure(id, parseInput(configurationInputSchema, req.body, 'body'))),
    );
  });
  router.post('/apps/:appId/configuration/enable', async (req, res) => {
    res.json(await apps.view(await apps.enable(appId(req.params))));
  });
  router.put('/apps/:appId/parameters', async (req, res) => {
    const id = appId(req.params);
    res.json(
      await apps.view(await apps.setParameters(id, parseInput(parametersInputSchema, req.body, 'body'))),
    );
  });
  router.put('/apps/:appId/provisioning', async (req, res) => {
    const id = appId(req.params);
    res.json(
      await apps.view(await apps.setProvisioning(id, parseInput(provisioningInputSchema, req.body, 'body'))),
    );
  });
  return router;
}
