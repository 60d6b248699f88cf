import type { ApprovalQueueResult } from '../approval-queue.bench.ts';
import type { PushBenchResult } from '../push.bench.ts';
import type { TargetCapacityResult } from '../target-capacity.bench.ts';
import type { BenchRedis } from './bench-options.ts';
import type { ProcessUsage } from './process-meter.ts';
import type { CommandDelta } from './redis-stats.ts';
import { median } from './stats.ts';
import { type Cell, renderTable } from './table.ts';

export interface CapacityRun extends TargetCapacityResult {
  /** Requests the target journalled: must equal what the load generator counted. */
  answeredByTarget: number;
  processes: ProcessUsage[];
}

export interface PushSeries {
  /** provisim's Redis: one server or a local cluster of 3 masters. */
  redis: BenchRedis;
  workers: number;
  /** The app's push concurrency across all workers (each worker process runs its share). */
  concurrency: number;
  runs: PushBenchResult[];
  /** The runs of (1) that alternated with this series' runs; without any, its ratio is to every run of (1). */
  capacity: CapacityRun[];
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const redisLabel = (redis: BenchRedis) => (redis === 'cluster' ? 'Redis Cluster (3 masters)' : 'one Redis');

/** Median of each process's CPU (in cores) and peak RSS across runs, by process name. */
export function medianUsage(
  runs: ProcessUsage[][],
): Array<Omit<ProcessUsage, 'peakRssBytes'> & { peakRssMb: number }> {
  const names = [...new Set(runs.flat().map((p) => p.name))];
  return names.map((name) => {
    const samples = runs.flat().filter((p) => p.name === name);
    return {
      name,
      cores: median(samples.map((p) => p.cores)),
      cpuSeconds: median(samples.map((p) => p.cpuSeconds)),
      kernelCpuSeconds: median(samples.map((p) => p.kernelCpuSeconds)),
      cpuWaitShare: median(samples.map((p) => p.cpuWaitShare)),
      peakRssMb: mb(Math.max(...samples.map((p) => p.peakRssBytes))),
    };
  });
}

/** The figures of one push series that the goals name, as written to the results JSON. */
export interface PushSummary {
  redis: BenchRedis;
  workers: number;
  usersPerSecond: number;
  /** SCIM requests/s of the push over the target's capacity (1) beside it (see PushSeries); null without (1). */
  ratio: number | null;
  redisCommandsPerUser: number;
  /** Growth of provisim Redis's memory per pushed user, its log, tasks and finished jobs included. */
  redisBytesPerUser: number;
  /** Median CPU ms per pushed user: provisim's side (API, workers, its Redis) and the target's (with its Redis). */
  cpuMsPerUser: { workers: number; provisim: number; target: number };
}

const isTargetSide = (name: string) => name.startsWith('target');

export function pushSummaries(capacity: CapacityRun[], push: PushSeries[]): PushSummary[] {
  return push.map((series) => {
    const beside = series.capacity.length ? series.capacity : capacity;
    const capacityRps = beside.length ? median(beside.map((r) => r.requestsPerSecond)) : null;
    const users = median(series.runs.map((r) => r.users));
    const usage = medianUsage(series.runs.map((r) => r.processes));
    const msPerUser = (pick: (name: string) => boolean) =>
      usage.filter((u) => pick(u.name)).reduce((sum, u) => sum + (u.cpuSeconds * 1000) / users, 0);
    const rps = median(series.runs.map((r) => r.scimRequestsPerSecond));
    return {
      redis: series.redis,
      workers: series.workers,
      usersPerSecond: median(series.runs.map((r) => r.usersPerSecond)),
      ratio: capacityRps ? rps / capacityRps : null,
      redisCommandsPerUser: median(series.runs.map((r) => r.redisCommandsPerUser)),
      redisBytesPerUser: median(series.runs.map((r) => r.redisBytesPerUser)),
      cpuMsPerUser: {
        workers: msPerUser((name) => name.startsWith('worker')),
        provisim: msPerUser((name) => !isTargetSide(name)),
        target: msPerUser(isTargetSide),
      },
    };
  });
}

export function throughputTable(capacity: CapacityRun[], push: PushSeries[]): string {
  const rows: Cell[][] = [];
  if (capacity.length) {
    const first = capacity[0] as CapacityRun;
    rows.push([
      '(1) target capacity, lookup + POST (autocannon)',
      first.concurrency,
      '-',
      median(capacity.map((r) => r.usersPerSecond)),
      median(capacity.map((r) => r.requestsPerSecond)),
      '-',
      1,
      '-',
      '-',
      capacity.length,
    ]);
  }
  const summaries = pushSummaries(capacity, push);
  push.forEach((series, i) => {
    const summary = summaries[i] as PushSummary;
    rows.push([
      `(2) end-to-end push, ${series.workers} worker process${series.workers > 1 ? 'es' : ''}, ${redisLabel(series.redis)}`,
      series.concurrency,
      series.workers,
      summary.usersPerSecond,
      median(series.runs.map((r) => r.scimRequestsPerSecond)),
      series.capacity.length ? median(series.capacity.map((r) => r.usersPerSecond)) : '-',
      summary.ratio ?? '-',
      summary.redisCommandsPerUser,
      summary.redisBytesPerUser,
      series.runs.length,
    ]);
  });
  return renderTable(
    [
      'measure',
      'concurrency',
      'workers',
      'users/s',
      'SCIM req/s',
      '(1) beside it, users/s',
      'ratio to (1)',
      'Redis cmds/user',
      'Redis bytes/user',
      'runs',
    ],
    rows,
  );
}

export function pushCostTable(push: PushSeries[]): string {
  const rows: Cell[][] = [];
  for (const series of push) {
    const users = median(series.runs.map((r) => r.users));
    for (const usage of medianUsage(series.runs.map((r) => r.processes))) {
      rows.push([
        redisLabel(series.redis),
        series.workers,
        usage.name,
        usage.cores,
        (usage.cpuSeconds * 1000) / users,
        (usage.kernelCpuSeconds * 1000) / users,
        usage.cpuWaitShare,
        usage.peakRssMb,
      ]);
    }
  }
  return renderTable(
    [
      'Redis',
      'workers',
      'process (during (2))',
      'CPU (cores)',
      'CPU ms per user',
      'of it in the kernel',
      'main thread waiting for a CPU (share of the run)',
      'peak RSS (MB)',
    ],
    rows,
  );
}

export function approvalTable(results: ApprovalQueueResult[]): string {
  return renderTable(
    [
      'pending',
      "'Bulk approve' (ms)",
      'all jobs enqueued (ms)',
      'first page of pending (ms)',
      'approved',
      'jobs',
      'Redis cmds/task',
      'API CPU (s)',
    ],
    results.map((r) => [
      r.pending,
      r.approveAllMs,
      r.allEnqueuedMs,
      r.firstPageMs,
      r.approved,
      r.jobs,
      r.redisCommandsPerTask,
      r.processes.find((p) => p.name === 'api')?.cpuSeconds ?? 0,
    ]),
  );
}

/** Redis's time per unit of work (µs) in each command, in order: `evalsha 61 µs, zadd 4 µs`. */
export function busiestCommands(commands: CommandDelta['byCommand'], units: number): string {
  return commands.map((c) => `${c.command} ${(c.usec / units).toFixed(0)} µs`).join(', ');
}

/**
 * The commands behind "Redis cmds/user", per pushed user with Redis's time in them (µs), from the
 * median run of each series.
 */
export function redisCommandLines(push: PushSeries[]): string {
  return push
    .map((series) => {
      const sorted = [...series.runs].sort((a, b) => a.redisCommandsPerUser - b.redisCommandsPerUser);
      const run = sorted[Math.floor(sorted.length / 2)] as PushBenchResult;
      const top = run.topRedisCommands
        .map(
          (c) => `${c.command} ${(c.calls / run.users).toFixed(1)} (${(c.usec / run.users).toFixed(0)} µs)`,
        )
        .join(', ');
      return `Redis commands per pushed user (Redis's time in them; a script's includes the commands it calls), ${series.workers} worker(s), ${redisLabel(series.redis)}: ${top}`;
    })
    .join('\n');
}

/** Item (5): the same multi-app push by worker count, on one Redis and on the cluster. */
export function scaleTable(capacity: CapacityRun[], scale: PushSeries[]): string {
  const summaries = pushSummaries(capacity, scale);
  return renderTable(
    [
      '(5) scale-out: Redis',
      'workers',
      'apps',
      'users/s',
      'ratio to (1)',
      'Redis cmds/user',
      'CPU ms/user: workers',
      'provisim',
      'target',
      'busiest Redis server',
    ],
    scale.map((series, i) => {
      const summary = summaries[i] as PushSummary;
      const redisCpu = medianUsage(series.runs.map((r) => r.processes))
        .filter((u) => u.name.startsWith('redis'))
        .map((u) => u.cpuSeconds);
      const total = redisCpu.reduce((a, b) => a + b, 0);
      return [
        redisLabel(series.redis),
        series.workers,
        series.runs[0]?.apps ?? 1,
        summary.usersPerSecond,
        summary.ratio ?? '-',
        summary.redisCommandsPerUser,
        summary.cpuMsPerUser.workers,
        summary.cpuMsPerUser.provisim,
        summary.cpuMsPerUser.target,
        total > 0 ? `${Math.round((100 * Math.max(...redisCpu)) / total)}% of Redis CPU` : '-',
      ];
    }),
  );
}

/**
 * Where a push run's Redis memory went, per pushed user: by kind of key (the first 12 kinds, the others
 * summed), then what no key's MEMORY USAGE counts, adding up to the growth of used_memory.
 */
export function memoryByKindLines(
  result: Pick<PushBenchResult, 'users' | 'memoryByKind' | 'memoryOutsideKeys' | 'redisBytesPerUser'>,
): string {
  const perUser = (bytes: number) => bytes / result.users;
  const sum = (kinds: PushBenchResult['memoryByKind'], field: 'keys' | 'bytes') =>
    kinds.reduce((total, kind) => total + kind[field], 0);
  const shown = result.memoryByKind.slice(0, 12);
  const others = result.memoryByKind.slice(12);
  const rows: Cell[][] = shown.map((kind) => [kind.kind, kind.keys, perUser(kind.bytes)]);
  if (others.length > 0)
    rows.push([`${others.length} other kinds`, sum(others, 'keys'), perUser(sum(others, 'bytes'))]);
  rows.push(['all keys', sum(result.memoryByKind, 'keys'), perUser(sum(result.memoryByKind, 'bytes'))]);
  rows.push([
    'keyspace hash table slots (no key counts them)',
    '-',
    perUser(result.memoryOutsideKeys.keyspaceTable),
  ]);
  rows.push(['rest of used_memory (clients, scripts, buffers)', '-', perUser(result.memoryOutsideKeys.rest)]);
  rows.push(['growth of used_memory', '-', result.redisBytesPerUser]);
  return renderTable(['key kind (growth during the run)', 'keys', 'bytes/user'], rows);
}
