import { pipeline } from 'node:stream/promises';
import type { Router } from 'express';
import type { EmailLookup } from '../../../../shared/src/store/provisioning-log/log-paging.ts';
import { queryPushes } from '../../../../shared/src/store/provisioning-log/log-push-pages.ts';
import type { ProvisioningLog } from '../../../../shared/src/store/provisioning-log/provisioning-log.ts';
import type { LogUser, WithLogUser } from '../../../../shared/src/types/log-pushes.ts';
import { type Route, route, routerOf } from '../route-table.ts';
import { serveLogEventStream } from './log-event-stream.ts';
import { batchWrites, exportFormatter } from './log-export-format.ts';
import { logSummarySchema, summarizeLog } from './log-summary.ts';
import {
  logPageSchema,
  provisioningLogExportQuerySchema,
  provisioningLogPushesQuerySchema,
  provisioningLogQuerySchema,
  provisioningLogStreamQuerySchema,
  provisioningLogSummaryQuerySchema,
  pushPageSchema,
} from './provisioning-log.schema.ts';

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

const PREFIX = '/api/provisioning-log';

/** `/api/provisioning-log`: list (events or whole pushes), pushes per outcome, export, live tail. */
export function provisioningLogRoutes(
  log: ProvisioningLog,
  options: ProvisioningLogRouterOptions = {},
): Route[] {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  return [
    route({
      method: 'get',
      path: PREFIX,
      summary: 'Provisioning log, newest first',
      query: provisioningLogQuerySchema,
      response: logPageSchema,
      handler: async ({ query: { limit, cursor, ...filter } }) => {
        const page = await log.query(filter, { limit, cursor });
        return { ...page, items: await withUsers(page.items, options.people) };
      },
    }),
    route({
      method: 'get',
      path: `${PREFIX}/pushes`,
      summary:
        'Provisioning log as pushes (one per task, all its steps), newest first; a push is never split across pages',
      query: provisioningLogPushesQuerySchema,
      response: pushPageSchema,
      handler: async ({ query: { limit, cursor, ...filter } }) => {
        const page = await queryPushes(log, filter, { limit, cursor });
        return { ...page, items: await withUsers(page.items, options.people) };
      },
    }),
    route({
      method: 'get',
      path: `${PREFIX}/summary`,
      summary: 'Pushes (one per task) per outcome over the match, from its newest 10,000 events',
      query: provisioningLogSummaryQuerySchema,
      response: logSummarySchema,
      handler: ({ query }) => summarizeLog(log, query),
    }),
    route({
      method: 'get',
      path: `${PREFIX}/export`,
      summary: 'Export the whole match as CSV or NDJSON',
      query: provisioningLogExportQuerySchema,
      handler: async ({ query: { format, ...filter }, res }) => {
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
      },
    }),
    route({
      method: 'get',
      path: `${PREFIX}/stream`,
      summary: 'Live tail (Server-Sent Events)',
      query: provisioningLogStreamQuerySchema,
      handler: async ({ query: { appId }, req, res }) => {
        // A HEAD has no body to stream: Node would hold its headers back forever, waiting for one.
        if (req.method === 'HEAD') return void res.status(200).type('text/event-stream').end();
        await serveLogEventStream(log, res, { appId, lastEventId: req.get('last-event-id'), heartbeatMs });
      },
    }),
  ];
}

/** The log's routes as a router to mount at `/api/provisioning-log` (behind admin auth). */
export const createProvisioningLogRouter = (
  log: ProvisioningLog,
  options: ProvisioningLogRouterOptions = {},
): Router => routerOf(PREFIX, provisioningLogRoutes(log, options));
