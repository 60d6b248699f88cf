import type { Response } from 'express';
import {
  parseEventId,
  streamIdMs,
  toEventId,
} from '../../../../shared/src/store/provisioning-log/log-codec.ts';
import type {
  LogEvent,
  ProvisioningLog,
} from '../../../../shared/src/store/provisioning-log/provisioning-log.ts';

/** A live-tail client that stops reading is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** Events replayed to a client that reconnects with Last-Event-ID (the newest ones when more were missed). */
const REPLAY_MAX = 1000;

export interface LogEventStreamOptions {
  appId?: string;
  /** The `Last-Event-ID` a reconnecting client sent; events after it are replayed first. */
  lastEventId?: string;
  heartbeatMs: number;
}

/** The id in its canonical (padded, string-sortable) form; anything else is not ours and is ignored. */
function resumePoint(lastEventId: string | undefined): { eventId: string; ms: number } | undefined {
  const position = lastEventId === undefined ? null : parseEventId(lastEventId);
  return position
    ? { eventId: toEventId(position.streamId, position.appId), ms: streamIdMs(position.streamId) }
    : undefined;
}

/** Events after `from` (ids sort as strings), oldest first. */
async function eventsAfter(
  log: ProvisioningLog,
  appId: string | undefined,
  from: { eventId: string; ms: number },
): Promise<LogEvent[]> {
  const since = new Date(from.ms).toISOString();
  const newer: LogEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await log.query({ appId, since }, { limit: REPLAY_MAX, cursor });
    for (const event of page.items) {
      if (event.id <= from.eventId || newer.length === REPLAY_MAX) return newer.reverse();
      newer.push(event);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return newer.reverse();
}

/**
 * Serves one Server-Sent Events client: replays what it missed (Last-Event-ID), then every new event
 * from the process's shared subscription, with heartbeat comments; unsubscribes when the client leaves.
 */
export async function serveLogEventStream(
  log: ProvisioningLog,
  res: Response,
  options: LogEventStreamOptions,
) {
  const resumeFrom = resumePoint(options.lastEventId);
  let live = false;
  const waiting: LogEvent[] = [];
  const write = (event: LogEvent) => {
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
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
    clearInterval(heartbeat);
    void unsubscribe?.();
  });
  // Subscribed before the replay is read, so nothing falls between the two; `replayed` drops the overlap.
  // Live events go out as published: two apps' ids need not rise in publish order (ids sort by app within a stream id).
  unsubscribe = await log.subscribe({ appId: options.appId }, (event) =>
    live ? write(event) : waiting.push(event),
  );
  if (closed) {
    await unsubscribe();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(': connected\n\n');
  heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
  const replayed = new Set<string>();
  try {
    if (resumeFrom) {
      for (const event of await eventsAfter(log, options.appId, resumeFrom)) {
        replayed.add(event.id);
        write(event);
      }
    }
  } catch {
    // The headers are out: ending the stream makes the client reconnect and ask again.
    res.destroy();
    return;
  }
  for (const event of waiting.splice(0)) if (!replayed.has(event.id)) write(event);
  live = true;
}
