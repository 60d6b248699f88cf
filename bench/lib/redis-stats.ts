import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { DEFAULT_COMPACTION, dueForRewrite, readAofInfo } from '../../shared/src/redis/quiet-compaction.ts';

/** One command's count and Redis's time in it (a script's time includes the commands it calls). */
export interface CommandStat {
  calls: number;
  usec: number;
}

/** Calls and time per command from `INFO commandstats` (`cmdstat_get:calls=3,usec=12,...`). */
export function parseCommandStats(info: string): Map<string, CommandStat> {
  const stats = new Map<string, CommandStat>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(match[1] as string, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

export interface CommandDelta {
  total: number;
  /** Commands sorted by calls, most first. */
  byCommand: Array<{ command: string } & CommandStat>;
}

export function diffCommandStats(
  before: Map<string, CommandStat>,
  after: Map<string, CommandStat>,
): CommandDelta {
  const byCommand = [...after]
    .map(([command, { calls, usec }]) => {
      const earlier = before.get(command);
      return { command, calls: calls - (earlier?.calls ?? 0), usec: usec - (earlier?.usec ?? 0) };
    })
    .filter((entry) => entry.calls > 0)
    .sort((a, b) => b.calls - a.calls);
  return { total: byCommand.reduce((sum, entry) => sum + entry.calls, 0), byCommand };
}

/** Calls and time per command, summed over the servers (every master of a cluster). */
export async function readCommandStats(servers: Redis[]): Promise<Map<string, CommandStat>> {
  const total = new Map<string, CommandStat>();
  for (const server of servers)
    for (const [command, { calls, usec }] of parseCommandStats(await server.info('commandstats'))) {
      const sum = total.get(command) ?? { calls: 0, usec: 0 };
      total.set(command, { calls: sum.calls + calls, usec: sum.usec + usec });
    }
  return total;
}

export interface SlowEntry {
  durationUs: number;
  command: string;
}

export async function resetSlowlog(servers: Redis[]): Promise<void> {
  for (const server of servers) await server.call('SLOWLOG', 'RESET');
}

/** The slowest commands the servers logged (SLOWLOG) since the last reset, slowest first, arguments cut short. */
export async function readSlowlog(servers: Redis[], count = 10): Promise<SlowEntry[]> {
  const entries: Array<[number, number, number, string[]]> = [];
  for (const server of servers)
    entries.push(
      ...((await server.call('SLOWLOG', 'GET', String(count))) as Array<[number, number, number, string[]]>),
    );
  return entries
    .map(([, , durationUs, args]) => ({
      durationUs,
      command: args
        .slice(0, 4)
        .map((arg) => String(arg).slice(0, 60))
        .join(' '),
    }))
    .sort((a, b) => b.durationUs - a.durationUs)
    .slice(0, count);
}

/**
 * SCIM requests the built-in target has answered so far: it journals each answered request with one
 * RPUSH to its own Redis (its journal keeps only the last 1,000 per org, so we count commands, not entries).
 */
export const targetRequestsAnswered = async (targetRedis: Redis): Promise<number> =>
  (await readCommandStats([targetRedis])).get('rpush')?.calls ?? 0;

/** A numeric field of an INFO section, summed over the servers (every master of a cluster). */
async function infoSum(servers: Redis[], section: string, field: string): Promise<number> {
  let total = 0;
  for (const server of servers)
    total += Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(await server.info(section))?.[1]);
  return total;
}

/**
 * Rewrites now the append-only files that the embedded Redis would rewrite at its next quiet moment
 * (quiet-compaction.ts), and waits for every rewrite under way to end: a measured run then neither
 * pays for a rewrite an earlier run made due nor has one fall into it when it pauses.
 */
export async function rewriteDueFiles(servers: Redis[]): Promise<void> {
  for (const server of servers)
    if (dueForRewrite(readAofInfo(await server.info('persistence')), DEFAULT_COMPACTION))
      await server.bgrewriteaof();
  for (const server of servers)
    while (readAofInfo(await server.info('persistence')).rewriting) await sleep(50);
}

/** Forks the servers made so far (append-only-file rewrites, snapshots): each takes a core for a while, in a child no process meter sees. */
export const forkCount = (servers: Redis[]): Promise<number> => infoSum(servers, 'stats', 'total_forks');

/** Commands the servers processed so far (the INFO call that reads it not yet among them). */
export const commandsProcessed = (servers: Redis[]): Promise<number> =>
  infoSum(servers, 'stats', 'total_commands_processed');

/** Bytes of data the servers hold (`used_memory`), summed over every master of a cluster. */
export const usedMemory = (servers: Redis[]): Promise<number> => infoSum(servers, 'memory', 'used_memory');

export interface KeyKindMemory {
  /** The key with its app, user and other ids replaced: `bench:app:{<app>}:au:<user>`. */
  kind: string;
  keys: number;
  /** `MEMORY USAGE` summed over the kind's keys (key name, value and Redis's overhead per key). */
  bytes: number;
}

/** A key's kind: ids of the given apps and users, task/job ids and numbers replaced by placeholders. */
export function keyKind(key: string, appIds: ReadonlySet<string>, userIds: ReadonlySet<string>): string {
  return key
    .replace(/\{([^}]*)\}/g, (whole, id: string) => (appIds.has(id) ? '{<app>}' : whole))
    .split(':')
    .map((part) => {
      if (userIds.has(part)) return '<user>';
      if (/^[0-9a-z]{9}[0-9a-f]{12}$/.test(part)) return '<id>';
      if (/^\d+$/.test(part)) return '<n>';
      return part;
    })
    .join(':');
}

/**
 * Memory of every key, grouped by kind (`MEMORY USAGE ... SAMPLES 0`: every element, the key's name and
 * its entry in the keyspace). Two readings' difference (`memoryGrowthByKind`) is what a push left, key by key.
 */
export async function keyMemoryByKind(
  servers: Redis[],
  appIds: readonly string[],
  userIds: readonly string[],
): Promise<KeyKindMemory[]> {
  const apps = new Set(appIds);
  const users = new Set(userIds);
  const kinds = new Map<string, KeyKindMemory>();
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = server.pipeline();
      for (const key of keys) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
      const replies = (await pipeline.exec()) ?? [];
      keys.forEach((key, i) => {
        const kind = keyKind(key, apps, users);
        const entry = kinds.get(kind) ?? { kind, keys: 0, bytes: 0 };
        entry.keys += 1;
        entry.bytes += Number(replies[i]?.[1] ?? 0);
        kinds.set(kind, entry);
      });
    } while (cursor !== '0');
  }
  return [...kinds.values()];
}

/** The kinds whose keys grew (or shrank) from one reading to the next, by how much, most bytes first. */
export function memoryGrowthByKind(before: KeyKindMemory[], after: KeyKindMemory[]): KeyKindMemory[] {
  const was = new Map(before.map((kind) => [kind.kind, kind]));
  const now = new Map(after.map((kind) => [kind.kind, kind]));
  return [...new Set([...was.keys(), ...now.keys()])]
    .map((kind) => ({
      kind,
      keys: (now.get(kind)?.keys ?? 0) - (was.get(kind)?.keys ?? 0),
      bytes: (now.get(kind)?.bytes ?? 0) - (was.get(kind)?.bytes ?? 0),
    }))
    .filter((kind) => kind.keys !== 0 || kind.bytes !== 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * What each key costs the keyspace on 64-bit Redis 7.0 besides its slot: its entry (24 bytes) and its
 * object header (16), which MEMORY STATS counts in the keyspace's overhead and MEMORY USAGE with the key.
 */
const KEYSPACE_ENTRY_BYTES = 24 + 16;

/**
 * Bytes of the keyspaces' hash tables that no key's MEMORY USAGE counts: their slot arrays (8 bytes a
 * slot, a power of two at least as many as the keys, two while a table grows) and the expiry tables,
 * summed over the servers (`MEMORY STATS`).
 */
export async function keyspaceTableBytes(servers: Redis[]): Promise<number> {
  let total = 0;
  for (const server of servers) {
    const stats = (await server.call('MEMORY', 'STATS')) as unknown[];
    for (let i = 0; i + 1 < stats.length; i += 2) {
      const name = String(stats[i]);
      const value = stats[i + 1];
      if (name === 'keys.count') total -= KEYSPACE_ENTRY_BYTES * Number(value);
      if (name.startsWith('db.') && Array.isArray(value))
        for (let j = 0; j + 1 < value.length; j += 2)
          if (String(value[j]).startsWith('overhead.hashtable.')) total += Number(value[j + 1]);
    }
  }
  return total;
}
