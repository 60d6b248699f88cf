import type { RequestHandler } from 'express';
import { bearerToken } from '../../../shared/src/http/admin-auth.ts';
import type { OrgsService } from '../orgs/orgs.service.ts';
import type { TargetStore } from '../store/target-store.ts';
import { ScimError } from './scim-error.ts';

/** Resolves `:orgId` into `res.locals.org`, or answers a SCIM 404. */
export function loadOrg(store: TargetStore): RequestHandler {
  return async (req, res, next) => {
    const orgId = String(req.params.orgId);
    const org = await store.getOrg(orgId);
    if (!org) throw new ScimError(404, `Organization ${orgId} not found.`);
    res.locals.org = org;
    next();
  };
}

/** Requires the org's own bearer token (valid, not expired, SCIM switched on). */
export function requireOrgToken(orgs: OrgsService): RequestHandler {
  return (req, res, next) => {
    orgs.authenticate(res.locals.org, bearerToken(req.headers.authorization));
    next();
  };
}
