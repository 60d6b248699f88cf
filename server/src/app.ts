import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express from 'express';
import type { Config } from '../../shared/src/config/env.ts';
import { requireAdminToken } from '../../shared/src/http/admin-auth.ts';
import { errorHandler, notFoundRoute } from '../../shared/src/http/error-handler.ts';
import { jsonBody } from '../../shared/src/http/json-body.ts';
import type { Logger } from '../../shared/src/logger/logger.ts';
import { DeletionHoldService } from '../../shared/src/provisioning/deletion-hold.ts';
import { Lifecycle } from '../../shared/src/provisioning/lifecycle.ts';
import type { RedisClient } from '../../shared/src/redis/connection.ts';
import { ImportReportsStore } from '../../shared/src/store/import-reports.store.ts';
import { PushQueues } from '../../shared/src/store/push-queues.ts';
import { createStores } from '../../shared/src/store/stores.ts';
import { buildOpenApiDocument } from './openapi/openapi.ts';
import { ADMIN_QUEUES_PATH, createAdminQueuesRouter } from './routes/admin-queues/admin-queues.router.ts';
import { appsRoutes } from './routes/apps/apps.router.ts';
import { assignmentsRoutes } from './routes/assignments/assignments.router.ts';
import { deletionHoldRoutes } from './routes/deletion-hold/deletion-hold.router.ts';
import { healthRoutes } from './routes/health/health.router.ts';
import { importRoutes } from './routes/import/import.router.ts';
import { plansRoutes } from './routes/plans/plans.router.ts';
import { PlansService } from './routes/plans/plans.service.ts';
import { provisionNowRoutes } from './routes/provision-now/provision-now.router.ts';
import { ProvisionNowService } from './routes/provision-now/provision-now.service.ts';
import { provisioningLogRoutes } from './routes/provisioning-log/provisioning-log.router.ts';
import { rolesRoutes } from './routes/roles/roles.router.ts';
import { operationOf, routerOf } from './routes/route-table.ts';
import { rulesRoutes } from './routes/rules/rules.router.ts';
import { RulesService } from './routes/rules/rules.service.ts';
import { scimTemplateRoutes } from './routes/scim-template/scim-template.router.ts';
import { usersRoutes } from './routes/users/users.router.ts';
import { AppsService } from './services/apps.service.ts';
import { AssignmentsService } from './services/assignments.service.ts';
import { DirectoryService } from './services/directory.service.ts';
import { ImportService } from './services/import.service.ts';
import { ScimTemplateService } from './services/scim-template.service.ts';

export interface AppDeps {
  config: Config;
  redis: RedisClient;
  adminToken: string;
  logger: Logger;
  mounts?: Array<{ path: string; handler: express.RequestHandler | express.Router; auth: boolean }>;
}

const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');
const BODY_LIMIT = '1mb';

/** The whole API (and the built UI when present), without listening. */
export function createApp(deps: AppDeps): { app: express.Express; close(): Promise<void> } {
  const { config, redis, adminToken, logger } = deps;
  const stores = createStores(redis, config);
  const queues = new PushQueues(config, redis, logger);
  const lifecycle = new Lifecycle(stores, queues, logger);
  const assignments = new AssignmentsService(stores, lifecycle);
  const directory = new DirectoryService(stores, lifecycle);
  const apps = new AppsService(stores, queues, lifecycle, config, logger);
  const auth = requireAdminToken(adminToken);
  const imports = new ImportService(stores, lifecycle, new ImportReportsStore(redis, stores.keys), config);
  // Route tables: each route declared once, served and documented from the same entry.
  const publicRoutes = healthRoutes(redis, config.PROVISIM_KEY_PREFIX);
  const routes = [
    ...usersRoutes(directory),
    ...rolesRoutes(directory),
    ...appsRoutes(stores, apps),
    ...scimTemplateRoutes(new ScimTemplateService(stores), stores),
    ...importRoutes(imports),
    ...assignmentsRoutes({ stores, queues, assignments, lifecycle }),
    ...plansRoutes(new PlansService(stores, lifecycle)),
    ...deletionHoldRoutes(stores, apps, new DeletionHoldService(stores, lifecycle)),
    ...provisionNowRoutes(new ProvisionNowService(stores, lifecycle, queues, config)),
    ...rulesRoutes(new RulesService(stores, lifecycle, config)),
    ...provisioningLogRoutes(stores.log, {
      emails: async (ids) =>
        new Map([...(await stores.users.getMany(ids)).values()].map((user) => [user.id, user.email])),
      people: async (ids) =>
        new Map(
          [...(await stores.users.getMany(ids)).values()].map((user) => [
            user.id,
            { name: `${user.firstname} ${user.lastname}`.trim(), email: user.email },
          ]),
        ),
    }),
  ];
  const openApi = buildOpenApiDocument([...publicRoutes, ...routes].map(operationOf));

  const app = express();
  app.disable('x-powered-by');
  app.use(jsonBody({ limit: BODY_LIMIT }));
  app.use('/api', routerOf('/api', publicRoutes));
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api', auth);
  app.use('/api', routerOf('/api', routes));
  for (const mount of deps.mounts ?? []) {
    if (mount.auth) app.use(mount.path, auth, mount.handler);
    else app.use(mount.path, mount.handler);
  }
  app.use('/api', notFoundRoute);
  app.use(ADMIN_QUEUES_PATH, createAdminQueuesRouter({ stores, queues, adminToken }));
  if (existsSync(WEB_DIST)) {
    app.use(express.static(WEB_DIST, { index: 'index.html' }));
    app.use((req, res, next) => {
      if (req.method !== 'GET' || !req.accepts('html')) return next();
      res.sendFile(join(WEB_DIST, 'index.html'));
    });
  }
  app.use(notFoundRoute);
  app.use(errorHandler(logger));

  return { app, close: () => queues.close() };
}
