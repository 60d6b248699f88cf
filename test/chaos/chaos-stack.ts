import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { freeLoopbackPort } from '../../shared/src/redis/embedded-redis.ts';
import {
  type LocalCluster,
  startLocalCluster,
  waitForClusterOk,
} from '../../shared/src/redis/local-cluster.ts';
import { type Api, apiClient, deferredApiClient } from '../support/api-client.ts';
import { waitHealthy } from '../support/factories.ts';
import {
  type ChildHandle,
  type ServerProcess,
  startServerProcess,
  startTargetProcess,
  startWorkerProcess,
  type TargetProcess,
} from '../support/processes.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import type { FaultKind } from './history.ts';

export const WORKERS = 2;
export type ChaosRedis = 'embedded' | 'cluster';

/**
 * The real product for chaos histories, as separate processes: `launcher/start.ts` with its embedded
 * Redis (appendfsync always) and no in-process workers, two `npm run worker` processes, and the
 * built-in target on its own (own Redis, so killing provisim never touches it) behind a TCP proxy
 * that can play a closed port. Faults act on these processes. With `cluster`, provisim's Redis is a
 * local Redis Cluster of 3 masters instead, and a Redis kill takes down one of them.
 */
export class ChaosStack {
  readonly adminToken = randomBytes(18).toString('base64url');
  readonly api: Api;
  readonly target: Api;
  private server!: ServerProcess;
  private targetProcess!: TargetProcess;
  private workers: ChildHandle[] = [];
  proxy!: TcpProxy;
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'provisim-chaos-'));
  private readonly targetDir = mkdtempSync(join(tmpdir(), 'provisim-chaos-target-'));
  private port = 0;
  readonly injected = new Map<FaultKind, number>();
  private runs = 0;
  private cluster: LocalCluster | undefined;

  /** A number no earlier history on this stack had (keeps emails unique across histories and re-runs). */
  nextRun(): number {
    this.runs += 1;
    return this.runs;
  }

  constructor(private readonly redis: ChaosRedis = 'embedded') {
    this.api = deferredApiClient(() => ({
      baseUrl: `http://127.0.0.1:${this.port}`,
      token: this.adminToken,
    }));
    this.target = deferredApiClient(() => ({ baseUrl: this.targetProcess.url, token: this.adminToken }));
  }

  private env(): Record<string, string> {
    return {
      PROVISIM_DATA_DIR: this.dataDir,
      PROVISIM_ADMIN_TOKEN: this.adminToken,
      PROVISIM_REDIS_APPENDFSYNC: 'always',
      PROVISIM_RETRY_BASE_MS: '50',
      PROVISIM_PUSH_ATTEMPTS: '10',
      PROVISIM_SCIM_TIMEOUT_MS: '3000',
      PROVISIM_WORKER_CONCURRENCY: '4',
      LOG_LEVEL: 'info',
      ...(this.cluster ? { REDIS_URL: this.cluster.url } : {}),
    };
  }

  async start(): Promise<void> {
    this.port = await freeLoopbackPort();
    if (this.redis === 'cluster')
      this.cluster = await startLocalCluster({
        dataDir: join(this.dataDir, 'cluster'),
        masters: 3,
        appendfsync: 'always',
        logger: createLogger('chaos-cluster', 'warn'),
      });
    this.targetProcess = await startTargetProcess({
      PROVISIM_DATA_DIR: this.targetDir,
      PROVISIM_ADMIN_TOKEN: this.adminToken,
      LOG_LEVEL: 'warn',
    });
    this.proxy = await startTcpProxy({
      host: '127.0.0.1',
      port: Number(new URL(this.targetProcess.url).port),
    });
    await this.startProduct();
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The origin apps push to: the proxy in front of the target. */
  get scimOrigin(): string {
    return this.proxy.url;
  }

  private async startProduct(): Promise<void> {
    this.server = await startServerProcess({
      ...this.env(),
      PORT: String(this.port),
      PROVISIM_START_TARGET: 'false',
      PROVISIM_IN_PROCESS_WORKERS: 'false',
      LOG_LEVEL: 'warn',
    });
    await waitHealthy(this.server.apiUrl, 60_000);
    this.workers = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) => startWorkerProcess(this.env(), `worker-${i}`)),
    );
  }

  /** The API's last logged unhandled errors (each a 500's cause), for a failure's message. */
  unhandledErrors(): string[] {
    return this.server
      .output()
      .split('\n')
      .filter((line) => line.includes('unhandled error'))
      .slice(-3);
  }

  /** Injects one fault; target faults last `holdMs`, then are cleared. */
  async inject(kind: FaultKind, orgId: string, holdMs = 1500): Promise<void> {
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    if (kind === 'kill-worker') {
      const index = Math.floor(Math.random() * this.workers.length);
      const victim = this.workers[index] as ChildHandle;
      await victim.killGroup('SIGKILL');
      this.workers[index] = await startWorkerProcess(this.env(), `worker-${index}`);
    } else if (kind === 'kill-redis') {
      process.kill(this.redisPidToKill(), 'SIGKILL');
      if (this.cluster) await waitForClusterOk(this.cluster.nodes, 60_000);
      await waitHealthy(this.server.apiUrl, 60_000);
    } else if (kind === 'kill-product') {
      await Promise.all([
        this.server.killGroup('SIGKILL'),
        ...this.workers.map((w) => w.killGroup('SIGKILL')),
      ]);
      await this.startProduct();
    } else if (kind === 'target-closed') {
      await this.proxy.setMode('refuse');
      await sleep(holdMs);
      await this.proxy.setMode('forward');
    } else {
      const faults =
        kind === 'target-5xx'
          ? { errorRate: 0.5 }
          : kind === 'target-429'
            ? { failNext: [{ status: 429, count: 5 }], rateLimit: { perSecond: 5 } }
            : { latencyMs: 400 };
      await this.target.ok('PUT', `/target-api/orgs/${orgId}/faults`, faults);
      await sleep(holdMs);
      await this.clearTargetFaults(orgId);
    }
  }

  async clearTargetFaults(orgId: string): Promise<void> {
    await this.proxy.setMode('forward');
    await this.target.ok('PUT', `/target-api/orgs/${orgId}/faults`, {});
  }

  /** One of the cluster's masters (restarted by its supervisor here), or the product's embedded Redis. */
  private redisPidToKill(): number {
    if (!this.cluster) return this.embeddedRedisPid();
    const node = this.cluster.nodes[Math.floor(Math.random() * this.cluster.nodes.length)];
    const pid = node?.pid();
    if (pid === undefined) throw new Error('a cluster node has no running redis-server');
    return pid;
  }

  /** The redis-server the product started (its child process). */
  private embeddedRedisPid(): number {
    const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(this.server.pid)], {
      encoding: 'utf8',
    });
    const line = out.split('\n').find((l) => l.includes('redis-server'));
    if (!line) throw new Error(`no redis-server under the product (pid ${this.server.pid}): ${out}`);
    return Number(line.trim().split(/\s+/)[0]);
  }

  /** Health's count of live workers. */
  async liveWorkers(): Promise<number> {
    const reply = await apiClient(`http://127.0.0.1:${this.port}`, null)('GET', '/api/health');
    return reply.body?.workers ?? -1;
  }

  async stop(): Promise<void> {
    await Promise.all([
      ...this.workers.map((w) => w.kill('SIGTERM')),
      this.server?.kill('SIGTERM'),
      this.targetProcess?.kill('SIGTERM'),
    ]);
    await this.proxy?.close();
    await this.cluster?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(this.targetDir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
