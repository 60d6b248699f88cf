import { type RedisClient, sendTogether } from '../redis/connection.ts';
import { LuaScript } from '../redis/lua-script.ts';

const PAGE = new LuaScript(new URL('./ids-in-write-order.lua', import.meta.url));

/**
 * An index of ids that only grows, in the order of their first write: a list (about 24 bytes an id,
 * where a sorted set costs about 120). Stores written before kept it as a sorted set scored by time,
 * still read before the list: the ids added since go to the list only.
 */
export class IdsInWriteOrder {
  constructor(
    private readonly redis: RedisClient,
    /** The sorted set of stores written before (never written now). */
    private readonly olderKey: string,
    private readonly listKey: string,
  ) {}

  async all(): Promise<string[]> {
    const [older, newer] = (await sendTogether(this.redis, [
      ['zrange', this.olderKey, 0, -1],
      ['lrange', this.listKey, 0, -1],
    ])) as [string[], string[]];
    return [...older, ...newer];
  }

  async count(): Promise<number> {
    const [older, newer] = (await sendTogether(this.redis, [
      ['zcard', this.olderKey],
      ['llen', this.listKey],
    ])) as [number, number];
    return older + newer;
  }

  /** `limit` ids from `offset`, oldest first, or newest first. */
  page(offset: number, limit: number, order: 'oldest first' | 'newest first'): Promise<string[]> {
    return PAGE.run<string[]>(this.redis, {
      keys: [this.olderKey, this.listKey],
      args: [offset, limit, order === 'newest first' ? '1' : '0'],
    });
  }
}
