import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../logger/logger.ts';
import { SupervisedChild } from '../runtime/supervised-child.ts';
import {
  AUTO_REWRITE_MIN_BYTES,
  AUTO_REWRITE_PERCENT,
  type CompactionPolicy,
  compactWhenQuiet,
} from './quiet-compaction.ts';

export interface EmbeddedRedisOptions {
  dataDir: string;
  appendfsync: 'always' | 'everysec' | 'no';
  logger: Logger;
  /** Fixed port; by default a free loopback port is chosen. */
  port?: number;
  /** More redis-server arguments (a cluster node's, say). */
  extraArgs?: string[];
  /** When the append-only file is rewritten while Redis is quiet (see quiet-compaction.ts). */
  compaction?: CompactionPolicy;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** The running server's pid (changes when the supervisor restarts a crashed server). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

export const REDIS_INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y redis-server';

/**
 * `count` loopback ports free now and distinct: held open together while chosen, since a port freed
 * again can be handed out twice before the process it was chosen for binds it.
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolvePort, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (typeof address === 'object' && address) resolvePort(address.port);
              else reject(new Error('a loopback listener has no port'));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map((server) => new Promise((closed) => (server.listening ? server.close(closed) : closed(0)))),
    );
  }
}

export async function freeLoopbackPort(): Promise<number> {
  const [port] = await freeLoopbackPorts(1);
  return port as number;
}

export async function waitForPing(
  url: string,
  deadlineMs: number,
  failure: () => Error | undefined,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const error = failure();
    if (error) throw error;
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    probe.on('error', () => {});
    try {
      await probe.connect();
      // While it replays the append-only file, Redis answers LOADING: keep waiting.
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`embedded redis-server did not answer on ${url} within ${deadlineMs} ms`);
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Where the running embedded Redis is recorded: `{redisPid, port, ownerPid}`. */
export const embeddedRedisPidFile = (dataDir: string): string => resolve(dataDir, 'redis', 'redis.pid.json');

interface PidRecord {
  redisPid: number;
  port: number;
  ownerPid: number;
}

/** Whether a Redis answers on `port` with `dir` as its data folder (so a reused pid is not mistaken for it). */
async function redisServesFolder(port: number, dir: string): Promise<Redis | undefined> {
  const probe = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    const [, served] = (await probe.config('GET', 'dir')) as [string, string];
    if (resolve(served) === dir) return probe;
  } catch {
    // nothing there, or not a Redis
  }
  probe.disconnect();
  return undefined;
}

/**
 * A Redis a provisim that died (SIGKILL, power cut of the parent alone) left running on this data
 * folder is stopped before a new one starts, so two never share it; a live provisim still owning it
 * is a mistake we refuse to start alongside.
 */
async function stopLeftoverRedis(dir: string, logger: Logger): Promise<void> {
  const file = resolve(dir, 'redis.pid.json');
  if (!existsSync(file)) return;
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    rmSync(file, { force: true });
    return;
  }
  const probe = isAlive(record.redisPid) ? await redisServesFolder(record.port, dir) : undefined;
  if (!probe) return rmSync(file, { force: true });
  if (record.ownerPid !== process.pid && isAlive(record.ownerPid)) {
    probe.disconnect();
    throw new Error(
      `Another provisim (pid ${record.ownerPid}) runs Redis (pid ${record.redisPid}) on ${dir}; stop it or use another PROVISIM_DATA_DIR.`,
    );
  }
  logger.warn(
    { pid: record.redisPid, port: record.port },
    'stopping the redis-server a previous provisim left running',
  );
  // SHUTDOWN writes the append-only file out first; the connection closes as the server goes.
  await probe.call('SHUTDOWN').catch(() => {});
  probe.disconnect();
  for (let i = 0; i < 200 && isAlive(record.redisPid); i++) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(record.redisPid)) process.kill(record.redisPid, 'SIGKILL');
  rmSync(file, { force: true });
}

/** How the embedded Redis lays out provisim's data (the benches' servers take the same). */
export const STORE_LAYOUT_ARGS: readonly string[] = [
  // An app user's record holds two SCIM resources of a few hundred bytes: kept as a listpack up to
  // 1 KB a value, it takes about half the memory of Redis's default hash table (64 bytes).
  '--hash-max-listpack-value',
  '1024',
  // The log's streams in nodes of up to 8 KB and 200 entries (4 KB and 100 by default): a node's
  // fixed cost over twice the events, about a fifth less memory per event (see README, memory).
  '--stream-node-max-bytes',
  '8192',
  '--stream-node-max-entries',
  '200',
];

/**
 * Runs redis-server as a supervised child: append-only persistence in the data folder (its file
 * rewritten when Redis is quiet, see quiet-compaction.ts), noeviction (BullMQ needs it), restarted on
 * the same port if it dies unexpectedly.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const dir = resolve(options.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  await stopLeftoverRedis(dir, options.logger);
  const pidFile = embeddedRedisPidFile(options.dataDir);
  const port = options.port ?? (await freeLoopbackPort());
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    options.appendfsync,
    '--appenddirname',
    'appendonly',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--auto-aof-rewrite-percentage',
    String(AUTO_REWRITE_PERCENT),
    '--auto-aof-rewrite-min-size',
    String(AUTO_REWRITE_MIN_BYTES),
    ...STORE_LAYOUT_ARGS,
    '--daemonize',
    'no',
    '--logfile',
    '',
    ...(options.extraArgs ?? []),
  ];
  const supervised = new SupervisedChild();
  let spawnError: Error | undefined;

  const launch = () => {
    if (supervised.stopping) return;
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (chunk: Buffer) =>
      options.logger.warn({ redis: chunk.toString().trim() }, 'redis-server'),
    );
    proc.on('error', (err: NodeJS.ErrnoException) => {
      spawnError =
        err.code === 'ENOENT'
          ? new Error(`redis-server is not installed. Install it with: ${REDIS_INSTALL_HINT}`)
          : err;
      options.logger.error({ err: spawnError.message }, 'redis-server could not start');
    });
    proc.on('exit', (code, signal) => {
      if (supervised.stopping || spawnError) return;
      options.logger.error({ code, signal }, 'embedded redis-server exited; restarting it');
      supervised.relaunchIn(200, launch);
    });
    supervised.child = proc;
    if (proc.pid !== undefined) {
      const record: PidRecord = { redisPid: proc.pid, port, ownerPid: process.pid };
      writeFileSync(pidFile, `${JSON.stringify(record)}\n`);
    }
  };
  launch();
  await waitForPing(url, 30_000, () => spawnError);
  options.logger.info({ url, dir, appendfsync: options.appendfsync }, 'embedded redis-server ready');
  const compaction = compactWhenQuiet(url, options.logger, options.compaction);

  return {
    url,
    port,
    pid: () => supervised.child?.pid,
    stop: async () => {
      await compaction.stop();
      await supervised.stop();
      rmSync(pidFile, { force: true });
    },
  };
}

/** Where `npm start` records the embedded Redis URL, so `npm run worker` processes can join it. */
export const embeddedRedisUrlFile = (dataDir: string): string => resolve(dataDir, 'redis-url');
