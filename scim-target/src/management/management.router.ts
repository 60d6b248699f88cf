import express, { type Router } from 'express';
import { requireAdminToken } from '../../../shared/src/http/admin-auth.ts';
import { errorHandler, notFoundRoute } from '../../../shared/src/http/error-handler.ts';
import { jsonBody } from '../../../shared/src/http/json-body.ts';
import { parseInput } from '../../../shared/src/http/validate.ts';
import type { Logger } from '../../../shared/src/logger/logger.ts';
import type { OrgsService } from '../orgs/orgs.service.ts';
import type { TargetStore } from '../store/target-store.ts';
import {
  createOrgBody,
  faultsBody,
  listQuery,
  loginBody,
  orgIdParams,
  orgUsersQuery,
  outOfBandChangeBody,
  scimBody,
  settingsBody,
  ssoBody,
  tokenBody,
  userParams,
} from './management.schema.ts';

/** `{items, nextCursor}` over an offset; the cursor is the next offset. */
const page = <T>(items: T[], offset: number, total: number) => ({
  items,
  nextCursor: offset + items.length < total ? String(offset + items.length) : null,
});

/** The target's management API (api.md, "The built-in target"), behind the admin token. */
export function createManagementRouter(deps: {
  orgs: OrgsService;
  store: TargetStore;
  adminToken: string;
  logger: Logger;
}): Router {
  const { orgs, store } = deps;
  const router = express.Router();
  router.use(requireAdminToken(deps.adminToken));
  router.use(jsonBody({ limit: '100kb' }));

  router.post('/orgs', async (req, res) => {
    const org = await orgs.create(parseInput(createOrgBody, req.body, 'body'));
    res.status(201).json(orgs.view(org));
  });

  router.get('/orgs', async (req, res) => {
    const { limit, cursor = 0 } = parseInput(listQuery, req.query, 'query');
    const { orgs: found, total } = await store.listOrgs(cursor, limit);
    res.json(
      page(
        found.map((o) => orgs.view(o)),
        cursor,
        total,
      ),
    );
  });

  router.get('/orgs/:orgId', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    res.json(orgs.view(await orgs.get(orgId)));
  });

  router.delete('/orgs/:orgId', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    await orgs.delete(orgId);
    res.status(204).end();
  });

  router.put('/orgs/:orgId/settings', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const settings = parseInput(settingsBody, req.body, 'body');
    const org = await orgs.update(orgId, (o) => ({
      ...o,
      strictAttributes: settings.strictAttributes ?? o.strictAttributes,
      seatLimit: settings.seatLimit === undefined ? o.seatLimit : settings.seatLimit,
    }));
    res.json(orgs.view(org));
  });

  router.put('/orgs/:orgId/sso', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    res.json(orgs.view(await orgs.setSso(orgId, parseInput(ssoBody, req.body, 'body'))));
  });

  router.put('/orgs/:orgId/scim', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const { enabled } = parseInput(scimBody, req.body, 'body');
    res.json(orgs.view(await orgs.setScim(orgId, enabled)));
  });

  router.post('/orgs/:orgId/tokens', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const { lifetimeDays } = parseInput(tokenBody, req.body, 'body');
    res.status(201).json(await orgs.generateToken(orgId, lifetimeDays));
  });

  router.get('/orgs/:orgId/users', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const { limit, cursor = 0, query } = parseInput(orgUsersQuery, req.query, 'query');
    const needle = query?.toLowerCase();
    const users = (await orgs.users(orgId)).filter(
      (user) => !needle || user.userName.toLowerCase().includes(needle),
    );
    res.json(page(users.slice(cursor, cursor + limit), cursor, users.length));
  });

  router.post('/orgs/:orgId/users/:scimId/accept-invitation', async (req, res) => {
    const { orgId, scimId } = parseInput(userParams, req.params, 'params');
    res.json(await orgs.acceptInvitation(orgId, scimId));
  });

  router.post('/orgs/:orgId/users/:scimId/simulate-change', async (req, res) => {
    const { orgId, scimId } = parseInput(userParams, req.params, 'params');
    res.json(await orgs.simulateChange(orgId, scimId, parseInput(outOfBandChangeBody, req.body, 'body')));
  });

  router.get('/orgs/:orgId/groups', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const { limit, cursor = 0 } = parseInput(listQuery, req.query, 'query');
    const groups = await orgs.groups(orgId);
    res.json(page(groups.slice(cursor, cursor + limit), cursor, groups.length));
  });

  router.post('/orgs/:orgId/users/:scimId/verify-email', async (req, res) => {
    const { orgId, scimId } = parseInput(userParams, req.params, 'params');
    res.json(await orgs.verifyEmail(orgId, scimId));
  });

  router.post('/orgs/:orgId/login', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const { userName } = parseInput(loginBody, req.body, 'body');
    res.json(await orgs.login(orgId, userName));
  });

  router.post('/orgs/:orgId/login-attempts', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const { userName } = parseInput(loginBody, req.body, 'body');
    res.json(await orgs.attemptLogin(orgId, userName));
  });

  router.get('/orgs/:orgId/faults', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    res.json(await orgs.faults(orgId));
  });

  router.put('/orgs/:orgId/faults', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    res.json(await orgs.setFaults(orgId, parseInput(faultsBody, req.body, 'body')));
  });

  router.get('/orgs/:orgId/requests', async (req, res) => {
    const { orgId } = parseInput(orgIdParams, req.params, 'params');
    const { limit, cursor = 0 } = parseInput(listQuery, req.query, 'query');
    await orgs.get(orgId);
    const entries = await store.readJournal(orgId, cursor, limit + 1);
    res.json({
      items: entries.slice(0, limit),
      nextCursor: entries.length > limit ? String(cursor + limit) : null,
    });
  });

  router.use(notFoundRoute);
  router.use(errorHandler(deps.logger));
  return router;
}
