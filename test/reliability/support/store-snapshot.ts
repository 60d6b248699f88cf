import type { Redis } from 'ioredis';

/** Keys whose churn is not state: BullMQ's own bookkeeping and worker heartbeats. */
const isBookkeeping = (key: string, prefix: string) =>
  key.startsWith(`${prefix}:bull:`) || key.startsWith(`${prefix}:workers`);

export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch.filter((key) => !isBookkeeping(key, prefix)));
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

/** Every state key under `prefix` with its serialized value (DUMP), to compare before and after a request. */
export async function snapshotStore(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const keys = await keysUnder(redis, prefix);
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.dumpBuffer(key);
  const dumps = (await pipeline.exec()) ?? [];
  return new Map(keys.map((key, i) => [key, (dumps[i]?.[1] as Buffer | null)?.toString('hex') ?? '']));
}

/** Keys added, removed or changed between two snapshots. */
export function storeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([key, value]) => before.get(key) !== value).map(([key]) => key);
  const removed = [...before.keys()].filter((key) => !after.has(key));
  return [...changed, ...removed];
}

/** The readable text of every key and value under `prefix` (all types), to search for a secret. */
export async function storeText(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await keysUnder(redis, prefix)) {
    parts.push(key);
    const type = await redis.type(key);
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
    else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    else parts.push(`<${type}>`);
  }
  return parts.join('\n');
}
