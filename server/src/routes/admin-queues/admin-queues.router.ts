import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { type RequestHandler, Router } from 'express';
import { unauthorized } from '../../../../shared/src/errors/app-error.ts';
import { bearerToken, tokensMatch } from '../../../../shared/src/http/admin-auth.ts';
import type { PushQueues } from '../../../../shared/src/store/push-queues.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const COOKIE = 'provisim_admin';

const safeDecode = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
};

const cookieValue = (header: string | undefined): string | undefined => {
  const raw = header
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
  return raw === undefined ? undefined : safeDecode(raw);
};

/**
 * The browser dashboard cannot send a bearer header, so `?token=` (checked like the header) sets a
 * same-site, HTTP-only cookie scoped to this path; the header and the cookie are accepted after that.
 */
function requireAdmin(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    const presented = bearerToken(req.headers.authorization) ?? fromQuery ?? cookieValue(req.headers.cookie);
    if (!presented || !tokensMatch(presented, adminToken)) return next(unauthorized());
    if (fromQuery)
      res.cookie(COOKIE, fromQuery, {
        httpOnly: true,
        sameSite: 'strict',
        path: ADMIN_QUEUES_PATH,
      });
    next();
  };
}

/** bull-board over every app's push queue, behind the admin token; the queue list follows the apps. */
export function createAdminQueuesRouter(deps: {
  stores: Stores;
  queues: PushQueues;
  adminToken: string;
}): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  const board = createBullBoard({ queues: [], serverAdapter });
  const router = Router();
  router.use(requireAdmin(deps.adminToken));
  router.use(async (_req, _res, next) => {
    const ids = await deps.stores.apps.ids();
    board.replaceQueues(ids.map((id) => new BullMQAdapter(deps.queues.queue(id), { readOnlyMode: false })));
    next();
  });
  router.use(serverAdapter.getRouter());
  return router;
}
