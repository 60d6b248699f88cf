import { duplicateUnconnected, type RedisClient } from '../../redis/connection.ts';

type RawListener = (streamId: string, payload: string) => void;

/**
 * One subscriber connection per process, shared by every live-tail listener; opened with the first
 * listener and closed with the last.
 */
export class LiveTail {
  private readonly listeners = new Set<RawListener>();
  private subscriber: Promise<RedisClient> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly channel: string,
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

  private deliver(streamId: string, payload: string): void {
    for (const listener of this.listeners) {
      try {
        listener(streamId, payload);
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
    // One message per append call: stream id and payload lines, alternating.
    connection.on('message', (_channel: string, message: string) => {
      const lines = message.split('\n');
      for (let i = 0; i + 1 < lines.length; i += 2) this.deliver(lines[i] as string, lines[i + 1] as string);
    });
    try {
      await connection.connect();
      await connection.subscribe(this.channel);
    } catch (err) {
      connection.disconnect();
      throw err;
    }
    return connection;
  }
}
