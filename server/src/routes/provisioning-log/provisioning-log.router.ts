import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { parseInput } from '../../../../shared/src/http/validate.ts';
import type { EmailLookup } from '../../../../shared/src/store/provisioning-log/log-paging.ts';
import { queryPushes } from '../../../../shared/src/store/provisioning-log/log-push-pages.ts';
import type { ProvisioningLog } from '../../../../shared/src/store/provisioning-log/provisioning-log.ts';
import type { LogUser, WithLogUser } from '../../../../shared/src/types/log-pushes.ts';
import { serveLogEventStream } from './log-event-stream.ts';
import { batchWrites, exportFormatter } from './log-export-format.ts';
import { summarizeLog } from './log-summary.ts';
import {
  provisioningLogExportQuerySchema,
  provisioningLogPushesQuerySchema,
  provisioningLogQuerySchema,
  provisioningLogStreamQuerySchema,
  provisioningLogSummaryQuerySchema,
} from './provisioning-log.schema.ts';

export { provisioningLogOperations } from './provisioning-log.schema.ts';

export interface ProvisioningLogRouterOptions {
  /** Interval of the SSE comment lines that keep proxies and browsers from closing an idle tail. */
  heartbeatMs?: number;
  /** Fills the export's email column from the directory. */
  emails?: EmailLookup;
  /** Names each listed event's and push's user from the directory, so the console asks for no one who is gone. */
  people?: PeopleLookup;
}

export type PeopleLookup = (userIds: string[]) => Promise<Map<string, LogUser>>;

/** Each item with its user (null when the directory no longer has them), looked up once per page. */
async function withUsers<T extends { userId: string }>(
  items: T[],
  people: PeopleLookup | undefined,
): Promise<WithLogUser<T>[]> {
  if (!people) return items;
  const known = await people([...new Set(items.map((item) => item.userId))]);
  return items.map((item) => ({ ...item, user: known.get(item.userId) ?? null }));
}

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
} as const;

/** `/api/provisioning-log` (mounted behind admin auth): list (events or whole pushes), pushes per outcome, export, live tail. */
export function createProvisioningLogRouter(
  log: ProvisioningLog,
  options: ProvisioningLogRouterOptions = {},
): Router {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const router = Router();

  router.get('/', async (req, res) => {
    const { limit, cursor, ...filter } = parseInput(provisioningLogQuerySchema, req.query, 'query');
    const page = await log.query(filter, { limit, cursor });
    res.json({ ...page, items: await withUsers(page.items, options.people) });
  });

  router.get('/pushes', async (req, res) => {
    const { limit, cursor, ...filter } = parseInput(provisioningLogPushesQuerySchema, req.query, 'query');
    const page = await queryPushes(log, filter, { limit, cursor });
    res.json({ ...page, items: await withUsers(page.items, options.people) });
  });

  router.get('/summary', async (req, res) => {
    res.json(await summarizeLog(log, parseInput(provisioningLogSummaryQuerySchema, req.query, 'query')));
  });

  router.get('/export', async (req, res) => {
    const { format, ...filter } = parseInput(provisioningLogExportQuerySchema, req.query, 'query');
    const events = await log.export(filter, options.emails);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.status(200).attachment(`provisioning-log-${stamp}.${format}`).type(CONTENT_TYPES[format]);
    try {
      // pipeline stops pulling events (and so reading Redis) while res.write says the client is behind.
      await pipeline(events, exportFormatter(format), batchWrites(), res);
    } catch (err) {
      // Once the body has started, an error (or the client leaving) can only end the response.
      if (!res.headersSent) throw err;
      res.destroy();
    }
  });

  router.get('/stream', async (req, res) => {
    const { appId } = parseInput(provisioningLogStreamQuerySchema, req.query, 'query');
    // A HEAD has no body to stream: Node would hold its headers back forever, waiting for one.
    if (req.method === 'HEAD') return void res.status(200).type('text/event-stream').end();
    await serveLogEventStream(log, res, { appId, lastEventId: req.get('last-event-id'), heartbeatMs });
  });

  return router;
}
