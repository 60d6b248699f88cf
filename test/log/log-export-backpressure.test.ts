import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvisioningLogRouter } from '../../server/src/routes/provisioning-log/provisioning-log.router.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../shared/src/redis/embedded-redis.ts';
import { ProvisioningLog } from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { buildLogEvent } from './log-event.factory.ts';

/** The export reads Redis this many events at a time (EXPORT_PAGE in provisioning-log.ts). */
const PAGE = 1000;
const PAGES = 6;
const EVENTS = PAGE * PAGES;
/** Each event carries a ~3 KB body, so the export (~20 MB) is far more than the sockets' kernel buffers hold. */
const NOTE = 'n'.repeat(3000);
/**
 * What the server may hold in Node beyond what it has handed to the socket: its buffer of one page, the
 * rest of the page being read, and the stages' own buffers (16 events, 16 KB, a 64 KB write, the
 * response's): under 100 events of this size; 500 of margin. The export that wrote a page per chunk held 3,000 and more.
 */
const MAX_EVENTS_AHEAD = 2 * PAGE + 500;
/** The response's own buffer: its high-water mark plus a row or two, never a page. */
const MAX_RESPONSE_BUFFER = 256 * 1024;

/**
 * A client that reads slowly must not make the server buffer the export. Its own redis-server, so
 * `INFO commandstats` counts only this export's page reads.
 */
describe('log export to a slow reader', () => {
  let dataDir: string;
  let embedded: EmbeddedRedis;
  let redis: Redis;
  let server: Server;
  let base: string;
  const responses: ServerResponse[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'provisim-export-test-'));
    embedded = await startEmbeddedRedis({ dataDir, appendfsync: 'no', logger: createLogger('t', 'warn') });
    redis = new Redis(embedded.url);
    const log = new ProvisioningLog({
      redis,
      keyPrefix: 'export',
      retention: { maxCount: EVENTS, maxAgeMs: 86_400_000 },
    });
    await log.appendMany(
      Array.from({ length: EVENTS }, () =>
        buildLogEvent({ appId: 'app-slow', response: { status: 200, body: { note: NOTE } } }),
      ),
    );
    const app = express();
    app.use('/api/provisioning-log', createProvisioningLogRouter(log));
    server = app.listen(0, '127.0.0.1');
    server.on('request', (_req, res: ServerResponse) => responses.push(res));
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/provisioning-log`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await redis?.quit();
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Script calls this Redis has run: the fill's appends, then one per page the export reads. A call
   * refused with NOSCRIPT (the first page's, re-sent once the script is loaded) read nothing.
   */
  const scriptCalls = async () => {
    const stats = await redis.info('commandstats');
    return [...stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+),.*?failed_calls=(\d+)/g)].reduce(
      (sum, m) => sum + Number(m[1]) - Number(m[2]),
      0,
    );
  };

  it.each(['ndjson', 'csv'] as const)(
    'streams %s at the pace of the reader, holding at most two pages',
    async (format) => {
      const callsBefore = await scriptCalls();
      const res = await new Promise<IncomingMessage>((resolve, reject) =>
        get(`${base}/export?format=${format}&appId=app-slow`, resolve).on('error', reject),
      );
      const served = responses.at(-1) as ServerResponse;
      let bytes = 0;
      let eventBytes = 0;
      let maxAhead = 0;
      let maxBuffered = 0;
      let lines = 0;
      for await (const chunk of res as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
        if (eventBytes === 0 && lines > 1) eventBytes = bytes / lines;
        // The reader holds back until the server is waiting on it (or has written everything).
        await expect
          .poll(() => served.writableNeedDrain || served.writableEnded, { timeout: 60_000 })
          .toBe(true);
        const eventsRead = ((await scriptCalls()) - callsBefore) * PAGE;
        const socket = served.socket;
        const handedToSocket = socket ? socket.bytesWritten - socket.writableLength : bytes;
        if (eventBytes > 0)
          maxAhead = Math.max(maxAhead, Math.min(eventsRead, EVENTS) - handedToSocket / eventBytes);
        maxBuffered = Math.max(maxBuffered, served.writableLength);
      }
      expect(lines).toBe(format === 'csv' ? EVENTS + 1 : EVENTS);
      expect(maxAhead).toBeLessThanOrEqual(MAX_EVENTS_AHEAD);
      expect(maxBuffered).toBeLessThanOrEqual(MAX_RESPONSE_BUFFER);
    },
  );
});
