import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Response, Router } from 'express';
import type {
  LogEvent,
  ProvisioningLog,
} from '../../../../shared/src/store/provisioning-log/provisioning-log.ts';
import { parseInput } from '../../http/validate.ts';
import {
  provisioningLogExportQuerySchema,
  provisioningLogQuerySchema,
  provisioningLogStreamQuerySchema,
} from './provisioning-log.schema.ts';

export { provisioningLogQuerySchema };

export interface ProvisioningLogRouterOptions {
  /** Interval of the SSE comment lines that keep proxies and browsers from closing an idle tail. */
  heartbeatMs?: number;
}

/** A live-tail client that stops reading is cut off rather than buffered without bound. */
const SSE_MAX_BUFFERED_BYTES = 1 << 20;

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
} as const;

/** The first chunk is awaited before the headers go out, so a failure up front still gets a JSON error. */
async function* startedAt(
  chunks: AsyncIterator<string>,
  first: IteratorResult<string>,
): AsyncGenerator<string> {
  for (let next = first; !next.done; next = await chunks.next()) yield next.value;
}

function openEventStream(res: Response): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(': connected\n\n');
}

/** `/api/provisioning-log` (mounted behind admin auth): list, export, live tail. */
export function createProvisioningLogRouter(
  log: ProvisioningLog,
  options: ProvisioningLogRouterOptions = {},
): Router {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const router = Router();

  router.get('/', async (req, res) => {
    const { limit, cursor, ...filter } = parseInput(provisioningLogQuerySchema, req.query, 'query');
    res.json(await log.query(filter, { limit, cursor }));
  });

  router.get('/export', async (req, res) => {
    const { format, ...filter } = parseInput(provisioningLogExportQuerySchema, req.query, 'query');
    const chunks = log.export(filter, format)[Symbol.asyncIterator]();
    const first = await chunks.next();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.status(200).attachment(`provisioning-log-${stamp}.${format}`).type(CONTENT_TYPES[format]);
    try {
      await pipeline(Readable.from(startedAt(chunks, first)), res);
    } catch (err) {
      // Once the body has started, an error (or the client leaving) can only end the response.
      if (!res.headersSent) throw err;
      res.destroy();
    }
  });

  router.get('/stream', async (req, res) => {
    const { appId } = parseInput(provisioningLogStreamQuerySchema, req.query, 'query');
    let open = false;
    const send = (event: LogEvent) => {
      if (!open || res.writableEnded || res.destroyed) return;
      if (res.writableLength > SSE_MAX_BUFFERED_BYTES) {
        res.destroy();
        return;
      }
      res.write(`id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    let heartbeat: NodeJS.Timeout | undefined;
    let unsubscribe: (() => Promise<void>) | undefined;
    let closed = false;
    res.on('close', () => {
      closed = true;
      open = false;
      clearInterval(heartbeat);
      void unsubscribe?.();
    });
    unsubscribe = await log.subscribe({ appId }, send);
    if (closed) {
      await unsubscribe();
      return;
    }
    openEventStream(res);
    open = true;
    heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  });

  return router;
}
