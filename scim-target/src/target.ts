import express from 'express';
import { errorHandler, notFoundRoute } from '../../shared/src/http/error-handler.ts';
import type { Logger } from '../../shared/src/logger/logger.ts';
import type { RedisClient } from '../../shared/src/redis/connection.ts';
import { createManagementRouter } from './management/management.router.ts';
import { OrgsService } from './orgs/orgs.service.ts';
import { createScimRouter } from './scim/scim.router.ts';
import { scimErrorHandler } from './scim/scim-error.ts';
import { ScimGroupsService } from './scim/scim-groups.service.ts';
import { ScimUsersService } from './scim/scim-users.service.ts';
import { OrgLock } from './store/org-lock.ts';
import { TargetStore } from './store/target-store.ts';

export interface TargetDeps {
  redis: RedisClient;
  keyPrefix: string;
  adminToken: string;
  logger: Logger;
  /** e.g. `http://127.0.0.1:3100`, known only once the target listens. */
  publicBaseUrl: () => string;
}

/**
 * The built-in Calendly-like SCIM service provider. `app` serves `/scim/v2/:orgId/…` and
 * `/target-api/…`; `managementRouter` is the management API alone, for the main server to mount.
 */
export function createTarget(deps: TargetDeps): { app: express.Express; managementRouter: express.Router } {
  const store = new TargetStore(deps.redis, deps.keyPrefix);
  const lock = new OrgLock();
  const orgs = new OrgsService(store, lock, (orgId) => `${deps.publicBaseUrl()}/scim/v2/${orgId}`);
  const managementRouter = createManagementRouter({
    orgs,
    store,
    adminToken: deps.adminToken,
    logger: deps.logger,
  });
  const scimRouter = createScimRouter({
    store,
    orgs,
    users: new ScimUsersService(store, lock),
    groups: new ScimGroupsService(store, lock),
    logger: deps.logger,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use('/scim/v2/:orgId', scimRouter);
  app.use('/target-api', managementRouter);
  app.use(notFoundRoute);
  app.use('/scim', scimErrorHandler(deps.logger));
  app.use(errorHandler(deps.logger));
  return { app, managementRouter };
}
