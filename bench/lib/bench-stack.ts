import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../../shared/src/logger/logger.ts';
import { createRedis, type RedisClient } from '../../shared/src/redis/connection.ts';
import {
  type EmbeddedRedis,
  freeLoopbackPorts,
  startEmbeddedRedis,
} from '../../shared/src/redis/embedded-redis.ts';
import { startLocalCluster } from '../../shared/src/redis/local-cluster.ts';
import type { CpuScheduling } from '../../shared/src/runtime/cpu-scheduling.ts';
import { type ApiClient, createApiClient } from './api-client.ts';
import type { MeteredProcess } from './process-meter.ts';
import { type NodeChild, spawnNode } from './processes.ts';

export interface BenchStackOptions {
  logger: Logger;
  appendfsync: 'always' | 'everysec' | 'no';
  workerScheduling: CpuScheduling;
  /** Profile every node child with --cpu-prof into this folder. */
  cpuProfDir?: string;
  /**
   * Use this Redis (provisim under `keyPrefix`, the target under `<keyPrefix>-target`) instead of
   * starting two embedded ones; their CPU is then not measured. For the harness's own tests.
   */
  sharedRedis?: { url: string; keyPrefix: string };
  /** provisim's Redis: one embedded server, or a local Redis Cluster of this many masters. */
  clusterMasters?: number;
}

export interface BenchStack {
  api: ApiClient;
  targetApi: ApiClient;
  /** provisim's own Redis (the target keeps its state in a second one, so these figures are provisim's alone). */
  redis: RedisClient;
  redisUrl: string;
  /** One connection per provisim Redis server (each master of a cluster), for their statistics. */
  redisServers: Redis[];
  targetRedis: Redis;
  keyPrefix: string;
  /** API, target and both Redis servers, plus whichever workers run now. */
  processes(): MeteredProcess[];
  workerProcesses(): MeteredProcess[];
  /** Replaces the running worker processes with `count` new ones, each running `concurrency` jobs at once. */
  setWorkers(count: number, concurrency: number): Promise<void>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const STARTUP_MS = 60_000;

async function waitUntilAnswering(client: ApiClient, path: string, child: NodeChild): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  let lastError: unknown;
  while (Date.now() < deadline && child.running()) {
    try {
      await client.call('GET', path);
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${child.name} did not answer GET ${path}: ${String(lastError)}\n${child.output()}`);
}

/**
 * What `npm start` runs, taken apart so each part is its own process: two embedded Redis
 * servers (provisim's, the target's), the built-in target, the API with in-process workers off,
 * and `npm run worker`-style worker processes.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-bench-'));
  const adminToken = randomBytes(24).toString('base64url');
  const keyPrefix = options.sharedRedis?.keyPrefix ?? 'bench';
  const started: Array<{ stop(): Promise<void> }> = [];
  const redisProcesses: MeteredProcess[] = [];
  const redisServerUrls: string[] = [];
  const startCluster = async (masters: number): Promise<string> => {
    const cluster = await startLocalCluster({
      dataDir: join(dataDir, 'redis'),
      masters,
      logger: options.logger.child({ part: 'redis' }),
    });
    started.push(cluster);
    cluster.nodes.forEach((node, i) => {
      redisProcesses.push({ name: `redis-${i}`, pid: node.pid() ?? 0 });
      redisServerUrls.push(node.url);
    });
    return cluster.url;
  };
  const startRedis = async (name: string): Promise<string> => {
    if (options.sharedRedis) return options.sharedRedis.url;
    const server: EmbeddedRedis = await startEmbeddedRedis({
      dataDir: join(dataDir, name),
      appendfsync: options.appendfsync,
      logger: options.logger.child({ part: name }),
    });
    started.push(server);
    redisProcesses.push({ name, pid: server.pid() ?? 0 });
    return server.url;
  };
  // One profile folder per process name, so `worker-2/CPU.*.cpuprofile` says whose profile it is.
  const nodeFlags = (name: string) =>
    options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, name)}`] : [];
  const common = {
    HOST,
    PROVISIM_ADMIN_TOKEN: adminToken,
    PROVISIM_KEY_PREFIX: keyPrefix,
    PROVISIM_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const startChild = (name: string, script: string, env: Record<string, string>) => {
    const child = spawnNode({ name, script, env: { ...common, ...env }, nodeFlags: nodeFlags(name) });
    started.push(child);
    return child;
  };

  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const redisUrl = options.clusterMasters
      ? await startCluster(options.clusterMasters)
      : await startRedis('redis');
    if (!options.clusterMasters) redisServerUrls.push(redisUrl);
    const targetRedisUrl = await startRedis('target-redis');
    // Both chosen before either process binds: one chosen after the other could be the same port.
    const [targetPort, apiPort] = (await freeLoopbackPorts(2)) as [number, number];
    const target = startChild('target', 'scim-target/src/main.ts', {
      REDIS_URL: targetRedisUrl,
      TARGET_PORT: String(targetPort),
      PROVISIM_KEY_PREFIX: `${keyPrefix}-target`,
    });
    const apiProcess = startChild('api', 'launcher/start.ts', {
      REDIS_URL: redisUrl,
      PORT: String(apiPort),
      PROVISIM_START_TARGET: 'false',
      PROVISIM_IN_PROCESS_WORKERS: 'false',
    });
    const api = createApiClient(`http://${HOST}:${apiPort}`, adminToken);
    const targetApi = createApiClient(`http://${HOST}:${targetPort}`, adminToken);
    await waitUntilAnswering(targetApi, '/target-api/orgs', target);
    await waitUntilAnswering(api, '/api/health', apiProcess);

    const connect = <T extends RedisClient>(client: T): T => {
      client.on('error', (err) => options.logger.warn({ err: err.message }, 'bench redis connection'));
      return client;
    };
    const redis = connect(createRedis(redisUrl, 'worker'));
    const redisServers = redisServerUrls.map((url) =>
      connect(new Redis(url, { maxRetriesPerRequest: null })),
    );
    const targetRedis = connect(new Redis(targetRedisUrl, { maxRetriesPerRequest: null }));
    let workers: NodeChild[] = [];

    return {
      api,
      targetApi,
      redis,
      redisUrl,
      redisServers,
      targetRedis,
      keyPrefix,
      processes: () => [apiProcess, ...workers, target, ...redisProcesses],
      workerProcesses: () => workers,
      setWorkers: async (count, concurrency) => {
        await Promise.all(workers.map((w) => w.stop()));
        workers = Array.from({ length: count }, (_, i) => {
          const name = `worker-${count}x-${i + 1}`;
          // info, not warn: the worker announces readiness at info (as `npm run worker` logs by default).
          const env = {
            ...common,
            REDIS_URL: redisUrl,
            PROVISIM_WORKER_CONCURRENCY: String(concurrency),
            PROVISIM_WORKER_SCHEDULING: options.workerScheduling,
            LOG_LEVEL: 'info',
          };
          return spawnNode({ name, script: 'worker/src/main.ts', env, nodeFlags: nodeFlags(name) });
        });
        await Promise.all(workers.map((w) => w.waitForOutput('worker process ready', STARTUP_MS)));
      },
      stop: async () => {
        await Promise.all(workers.map((w) => w.stop()));
        redis.disconnect();
        for (const server of redisServers) server.disconnect();
        targetRedis.disconnect();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
