import { duplicateUnconnected, type RedisClient } from '../../redis/connection.ts';
import type { LogKeys } from './log-keys.ts';

/** An appended event as published: its app, its stream id and its entry's fields (see log-append.lua). */
type RawListener = (appId: string, streamId: string, fields: string[]) => void;

const NEWLINE = 0x0a;
/** `id field userBytes restBytes` */
const HEADER = /^(\d+-\d+) ([a-z]) (\d+) (\d+)$/;

/**
 * The events of one published message: the events stream's key, then per event a header line
 * `id field userBytes restBytes` followed by the user id and the rest (see log-append.lua), parsed on
 * bytes (a user id may hold multi-byte characters, a compressed rest newlines).
 */
export function parseLiveMessage(message: Buffer): {
  eventsKey: string;
  entries: { streamId: string; fields: string[] }[];
} {
  let at = message.indexOf(NEWLINE);
  const eventsKey = message.toString('utf8', 0, at);
  const entries: { streamId: string; fields: string[] }[] = [];
  while (++at < message.length) {
    const end = message.indexOf(NEWLINE, at);
    if (end < 0) break;
    const header = HEADER.exec(message.toString('latin1', at, end));
    if (!header) break;
    const [, streamId = '', field = '', userBytes, restBytes] = header;
    const userEnd = end + 1 + Number(userBytes);
    const restEnd = userEnd + Number(restBytes);
    if (restEnd > message.length) break;
    entries.push({
      streamId,
      fields: [
        'u',
        message.toString('utf8', end + 1, userEnd),
        field,
        message.toString('utf8', userEnd, restEnd),
      ],
    });
    at = restEnd - 1;
  }
  return { eventsKey, entries };
}

/**
 * One subscriber connection per process, shared by every live-tail listener; opened with the first
 * listener and closed with the last.
 */
export class LiveTail {
  private readonly listeners = new Set<RawListener>();
  private subscriber: Promise<RedisClient> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: LogKeys,
  ) {}

  async add(listener: RawListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    try {
      this.subscriber ??= this.open();
      await this.subscriber;
    } catch (err) {
      this.listeners.delete(listener);
      this.subscriber = undefined;
      throw err;
    }
    return async () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0 || !this.subscriber) return;
      const closing = this.subscriber;
      this.subscriber = undefined;
      const connection = await closing.catch(() => undefined);
      await connection?.quit().catch(() => connection.disconnect());
    };
  }

  private deliver(appId: string, streamId: string, fields: string[]): void {
    for (const listener of this.listeners) {
      try {
        listener(appId, streamId, fields);
      } catch {
        // One broken listener (a live-tail client gone bad) must not starve the others.
      }
    }
  }

  private async open(): Promise<RedisClient> {
    const connection = duplicateUnconnected(this.redis);
    connection.on('error', () => {
      // ioredis reconnects and resubscribes by itself; the command path reports outages.
    });
    // One message per append call, read as bytes (see parseLiveMessage).
    connection.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
      const { eventsKey, entries } = parseLiveMessage(message);
      const appId = this.keys.appOfEvents(eventsKey);
      // Not a message of this format (a process of an older version publishing): nothing to deliver.
      if (appId === null) return;
      for (const { streamId, fields } of entries) this.deliver(appId, streamId, fields);
    });
    try {
      await connection.connect();
      await connection.subscribe(this.keys.channel);
    } catch (err) {
      connection.disconnect();
      throw err;
    }
    return connection;
  }
}
