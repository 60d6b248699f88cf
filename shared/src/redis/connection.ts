import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A connection to one Redis or to a Redis Cluster: the commands provisim sends are the same. */
export type RedisClient = Redis | Cluster;

const CLUSTER_SCHEME = 'redis+cluster:';

/** `redis+cluster://host:port,host:port` names a cluster by some of its nodes (the rest are discovered). */
export const isClusterUrl = (url: string): boolean => url.startsWith(`${CLUSTER_SCHEME}//`);

/** The seed nodes of a `redis+cluster://` URL; each is `host:port` (the port defaults to 6379). */
export function clusterNodes(url: string): { host: string; port: number }[] {
  const authority = url.slice(CLUSTER_SCHEME.length + 2).split('/')[0] ?? '';
  return authority.split(',').map((node) => {
    const { hostname, port } = new URL(`redis://${node}`);
    return { host: hostname, port: port ? Number(port) : 6379 };
  });
}

/** A URL `createRedis` takes: one Redis, or a cluster with at least one well-formed node. */
export function isRedisUrl(url: string): boolean {
  try {
    if (isClusterUrl(url)) return clusterNodes(url).every((node) => node.host.length > 0);
    return /^rediss?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * `api`: fails fast while Redis is away so requests answer 503 instead of hanging.
 * `worker`: BullMQ's requirement for blocking connections (maxRetriesPerRequest: null).
 * A cluster URL gives a Cluster whose node connections take the same options; commands to keys of
 * different slots sent together are pipelined per node (auto-pipelining), never as one cross-slot call.
 */
export function createRedis(url: string, role: 'api' | 'worker', extra: RedisOptions = {}): RedisClient {
  const roleOptions: RedisOptions =
    role === 'api'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: false };
  const options: RedisOptions = {
    retryStrategy: (times) => Math.min(times * 100, 2000),
    ...roleOptions,
    ...extra,
  };
  if (!isClusterUrl(url)) return new Redis(url, options);
  const { retryStrategy, enableOfflineQueue, ...nodeOptions } = options;
  return new Cluster(clusterNodes(url), {
    redisOptions: nodeOptions,
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: true,
  });
}

/** A new connection like `client`, not yet connected (for a subscriber, which cannot send other commands). */
export const duplicateUnconnected = (client: RedisClient): RedisClient =>
  client instanceof Cluster
    ? client.duplicate(undefined, { lazyConnect: true })
    : client.duplicate({ lazyConnect: true });

/** One command as its name and arguments, for `sendTogether`. */
export type Command = [name: string, ...args: (string | number)[]];

/**
 * Sends the commands together and answers their replies in order (the first error is thrown): one
 * pipeline on one Redis; on a cluster, whose pipelines cannot span nodes, each on its own, which its
 * auto-pipelining sends together per node. Replies are shaped as ioredis shapes them (an HGETALL's is
 * an object).
 */
export async function sendTogether(redis: RedisClient, commands: Command[]): Promise<unknown[]> {
  if (commands.length === 0) return [];
  if (redis instanceof Cluster)
    return Promise.all(commands.map(([name, ...args]) => redis.call(name, ...args)));
  const replies = (await redis.pipeline(commands).exec()) ?? [];
  return replies.map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}
