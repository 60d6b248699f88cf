import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../shared/src/logger/logger.ts';
import { type ApprovalQueueResult, runApprovalQueueBench } from './approval-queue.bench.ts';
import { type BenchRedis, parseBenchOptions } from './lib/bench-options.ts';
import { type BenchStack, startBenchStack } from './lib/bench-stack.ts';
import { seedDirectoryUsers } from './lib/directory-seed.ts';
import { meterProcesses, type ProcessUsage } from './lib/process-meter.ts';
import { rewriteDueFiles, targetRequestsAnswered } from './lib/redis-stats.ts';
import {
  approvalTable,
  busiestCommands,
  type CapacityRun,
  memoryByKindLines,
  type PushSeries,
  pushCostTable,
  pushSummaries,
  redisCommandLines,
  scaleTable,
  throughputTable,
} from './lib/report.ts';
import { timed } from './lib/stats.ts';
import { createBenchOrg } from './lib/target-org.ts';
import { renderLogBench, runLogBench } from './log.bench.ts';
import { type PushBenchResult, runPushBench } from './push.bench.ts';
import {
  runRedisInstructionsBench,
  VALGRIND_INSTALL_HINT,
  valgrindInstalled,
} from './redis-instructions.bench.ts';
import { runTargetCapacityBench } from './target-capacity.bench.ts';

const options = (() => {
  try {
    return parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
})();
const logger = createLogger('bench', 'warn');
const say = (line: string) => process.stdout.write(`${line}\n`);
const resultsDir = join(import.meta.dirname, 'results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const cpuProfDir = options.cpuProf ? join(resultsDir, `cpu-prof-${stamp}`) : undefined;

/**
 * Unmeasured first passes, so the medians compare JIT-warm processes: the target still got faster well
 * past a few hundred users (capacity runs 1 and 2 after a 300-user warm-up: 685-723 and 861-874 users/s),
 * and the workers' push path (a larger body of code) still compiles well into a push of a few hundred.
 */
const WARMUP_USERS = 2000;

/** An unmeasured pass of (1), so its runs measure a JIT-warm target. */
async function warmUpCapacity(stack: BenchStack): Promise<void> {
  await runTargetCapacityBench({
    org: await createBenchOrg(stack.targetApi, 'capacity-warmup'),
    users: Math.min(WARMUP_USERS, options.users),
    concurrency: options.concurrency,
    tag: `${stamp}-warmup`,
  });
}

/** How busy the built-in target was, and how long it was kept waiting for a CPU the others held. */
function targetLoad(processes: ProcessUsage[]): string {
  const target = processes.find((p) => p.name === 'target');
  if (!target) throw new Error('the target process was not metered');
  return `the target ${target.cores.toFixed(2)} cores busy, waiting for a CPU ${target.cpuWaitShare.toFixed(2)} of the run`;
}

/** One measured run of (1) on a fresh target org. */
async function capacityRun(stack: BenchStack, run: number): Promise<CapacityRun> {
  const org = await createBenchOrg(stack.targetApi, `capacity-${run}`);
  await rewriteDueFiles([...stack.redisServers, stack.targetRedis]);
  const answeredBefore = await targetRequestsAnswered(stack.targetRedis);
  const targetProcesses = stack.processes().filter((p) => p.name.startsWith('target'));
  const meter = meterProcesses([...targetProcesses, { name: 'load generator', pid: process.pid }]);
  const result = await runTargetCapacityBench({
    org,
    users: options.users,
    concurrency: options.concurrency,
    tag: `${stamp}-${run}`,
  });
  const processes = meter.stop();
  const answeredByTarget = (await targetRequestsAnswered(stack.targetRedis)) - answeredBefore;
  say(
    `  (1) run ${run}: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.usersPerSecond.toFixed(0)} users/s` +
      ` (non-2xx ${result.non2xx}, errors ${result.errors}, target answered ${answeredByTarget}), ${targetLoad(processes)}`,
  );
  return { ...result, answeredByTarget, processes };
}

interface SeriesShape {
  redis: BenchRedis;
  workers: number[];
  users: number;
  apps: number;
  runs: number;
  /** A run of (1) just before each measured run of each series, so the ratio's two sides share the machine's moments. */
  beforeEachRun?: () => Promise<CapacityRun>;
}

async function pushSeries(stack: BenchStack, userIds: string[], shape: SeriesShape): Promise<PushSeries[]> {
  const { redis, apps } = shape;
  const series: PushSeries[] = [];
  for (const workers of shape.workers) {
    // The app caps pushes in flight at C across all workers (BullMQ global concurrency), as in (1);
    // each process takes its share of C (with C each, the first process to fetch takes every job).
    const concurrency = options.concurrency;
    await stack.setWorkers(workers, Math.ceil(concurrency / workers));
    const tag = `${redis}-${apps}a-${workers}w`;
    await runPushBench({
      stack,
      userIds: userIds.slice(0, Math.min(WARMUP_USERS, shape.users)),
      workers,
      concurrency,
      apps,
      tag: `${tag}-warmup`,
      timeoutMs: options.timeoutMs,
    });
    const runs = [];
    const capacity: CapacityRun[] = [];
    for (let run = 1; run <= shape.runs; run++) {
      if (shape.beforeEachRun) capacity.push(await shape.beforeEachRun());
      const result = await runPushBench({
        stack,
        userIds: userIds.slice(0, shape.users),
        workers,
        concurrency,
        apps,
        tag: `${tag}-${run}`,
        timeoutMs: options.timeoutMs,
      });
      runs.push(result);
      say(memoryByKindLines(result));
      say(
        `  ${apps > 1 ? '(5)' : '(2)'} ${redis} Redis, ${apps} app(s), ${workers} worker(s), run ${run}: ${result.usersPerSecond.toFixed(0)} users/s, ` +
          `${result.scimRequestsPerSecond.toFixed(0)} SCIM req/s, ${result.redisCommandsPerUser.toFixed(1)} Redis cmds/user, failed ${result.failed}, ` +
          `forks (append-only-file rewrites) of provisim's Redis ${result.redisForks.provisim}, of the target's ${result.redisForks.target}, ` +
          targetLoad(result.processes),
      );
    }
    series.push({ redis, workers, concurrency, runs, capacity });
  }
  return series;
}

async function main(): Promise<void> {
  const wants = (item: (typeof options.only)[number]) => options.only.includes(item);
  mkdirSync(resultsDir, { recursive: true });
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const report: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model,
      node: process.version,
      loadavgAtStart: loadavg(),
    },
    options,
  };
  const phases: Array<{ phase: string; seconds: number; loadavg1m: number }> = [];
  report.phases = phases;
  /** Runs one part of the bench and records how long it took and how busy the machine was. */
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const { ms, value } = await timed(run);
    phases.push({ phase: name, seconds: ms / 1000, loadavg1m: loadavg()[0] ?? 0 });
    say(`  ${name}: ${(ms / 1000).toFixed(0)} s (load average ${loadavg()[0]?.toFixed(1)})`);
    return value;
  };
  say(`provisim bench on ${availableParallelism()} cores; ${JSON.stringify(options)}`);
  const stack = await startBenchStack({
    logger,
    appendfsync: options.appendfsync,
    workerScheduling: options.workerScheduling,
    cpuProfDir,
  });
  const stopOnSignal = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const directorySize = Math.max(
      wants('push') ? Math.max(options.users, options.memoryUsers) : 0,
      wants('scale') ? options.scaleUsers : 0,
      wants('approval') ? Math.max(...options.pending) : 0,
    );
    say(`seeding ${directorySize} directory users through the UsersStore...`);
    const userIds = await phase('directory seed', () =>
      seedDirectoryUsers(stack.redisUrl, stack.keyPrefix, stamp, directorySize, options.setupConcurrency),
    );

    const capacity: CapacityRun[] = [];
    report.capacity = capacity;
    const measureCapacity = async () => {
      const run = await capacityRun(stack, capacity.length + 1);
      capacity.push(run);
      return run;
    };
    if (wants('capacity')) await phase('(1) target capacity warm-up', () => warmUpCapacity(stack));
    if (wants('capacity') && !wants('push'))
      await phase('(1) target capacity', async () => {
        for (let run = 1; run <= options.runs; run++) await measureCapacity();
      });
    // With the push, the runs of (1) alternate with those of each push series, and each series' ratio is to
    // its own: the machine's slow and quick stretches (another tenant) then fall on both sides of each
    // ratio, not on one series only. A Redis's append-only file due for a rewrite is rewritten before
    // each run (rewriteDueFiles), so no run holds a rewrite that an earlier one owed.
    const push = wants('push')
      ? await phase(wants('capacity') ? '(1) and (2), their runs alternating' : '(2) end-to-end push', () =>
          pushSeries(stack, userIds, {
            redis: 'single',
            workers: options.workers,
            users: options.users,
            apps: 1,
            runs: options.runs,
            beforeEachRun: wants('capacity') ? measureCapacity : undefined,
          }),
        )
      : [];
    report.push = push;
    report.pushSummary = pushSummaries(capacity, push);
    const memory = wants('push')
      ? await phase(`(2) one push of ${options.memoryUsers} users, for Redis memory`, () =>
          memoryRun(stack, userIds),
        )
      : null;
    report.pushMemory = memory;
    const approval = wants('approval')
      ? await phase('(3) approval queue', () => approvalRuns(stack, userIds))
      : [];
    report.approval = approval;
    const scale = wants('scale') ? await phase('(5) scale-out', () => scaleOut(stack, userIds)) : [];
    report.scale = scale;
    report.scaleSummary = pushSummaries(capacity, scale);
    // The log item fills its own embedded Redis; the stack stays up but idle (no workers) meanwhile.
    await stack.setWorkers(0, 1);
    const log = wants('log')
      ? await phase('(4) provisioning log', () => runLogBench({ events: options.logEvents }))
      : null;
    report.log = log;
    report.instructions = wants('instructions')
      ? await phase('(6) Redis instructions of a bulk approval', instructionsRun)
      : null;
    report.finishedAt = new Date().toISOString();
    report.loadavgAtEnd = loadavg();

    say('');
    if (capacity.length || push.length) say(throughputTable(capacity, push));
    if (push.length) say(`\n${pushCostTable(push)}\n\n${redisCommandLines(push)}`);
    if (memory) say(`\n${memoryLine(memory)}`);
    if (scale.length) say(`\n${scaleTable(capacity, scale)}\n\n${redisCommandLines(scale)}`);
    if (approval.length) say(`\n${approvalTable(approval)}`);
    if (log) say(`\n${renderLogBench(log)}`);
  } finally {
    const file = join(resultsDir, `bench-${stamp}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    say(`\nfigures written to ${file}${cpuProfDir ? `; CPU profiles in ${cpuProfDir}` : ''}`);
    await stack.stop();
  }
}

/**
 * The issue's measure of memory: one push of `--memory-users` (50,000) users with one worker, after the
 * series (their runs are too short to show what a large push leaves per user); its rate is not a ratio's.
 */
async function memoryRun(stack: BenchStack, userIds: string[]): Promise<PushBenchResult> {
  await stack.setWorkers(1, options.concurrency);
  const result = await runPushBench({
    stack,
    userIds: userIds.slice(0, options.memoryUsers),
    workers: 1,
    concurrency: options.concurrency,
    apps: 1,
    tag: 'memory',
    timeoutMs: options.timeoutMs,
  });
  say(memoryByKindLines(result));
  say(`  ${memoryLine(result)}`);
  return result;
}

const memoryLine = (result: PushBenchResult): string =>
  `Redis memory after one push of ${result.users} users (1 worker, ${result.usersPerSecond.toFixed(0)} users/s, ` +
  `failed ${result.failed}): ${result.redisBytesPerUser.toFixed(0)} bytes per pushed user, its log included`;

/**
 * Item (5): the push of several apps at once with 1, 2, 4... worker processes, against one Redis (this
 * stack's) and then against a second stack whose provisim Redis is a local cluster of 3 masters.
 */
async function scaleOut(stack: BenchStack, userIds: string[]): Promise<PushSeries[]> {
  const shape = (redis: BenchRedis): SeriesShape => ({
    redis,
    workers: options.scaleWorkers,
    users: options.scaleUsers,
    apps: options.scaleApps,
    runs: 1,
  });
  const series: PushSeries[] = [];
  if (options.redis.includes('single')) series.push(...(await pushSeries(stack, userIds, shape('single'))));
  if (!options.redis.includes('cluster')) return series;
  const onCluster = await startBenchStack({
    logger,
    appendfsync: options.appendfsync,
    workerScheduling: options.workerScheduling,
    cpuProfDir,
    clusterMasters: 3,
  });
  try {
    const clusterUserIds = await seedDirectoryUsers(
      onCluster.redisUrl,
      onCluster.keyPrefix,
      `${stamp}-cluster`,
      options.scaleUsers,
      options.setupConcurrency,
    );
    series.push(...(await pushSeries(onCluster, clusterUserIds, shape('cluster'))));
  } finally {
    await onCluster.stop();
  }
  return series;
}

async function instructionsRun() {
  if (!valgrindInstalled()) {
    say(`  (6) not measured: valgrind is not installed. Install it with: ${VALGRIND_INSTALL_HINT}`);
    return null;
  }
  const result = await runRedisInstructionsBench(options.instructionTasks);
  say(
    `  (6) ${result.tasks} pending approved: ${Math.round(result.instructionsPerTask).toLocaleString('en-US')} Redis instructions per task (callgrind), ` +
      `${result.commandsPerTask.toFixed(2)} Redis commands per task`,
  );
  return result;
}

async function approvalRuns(stack: BenchStack, userIds: string[]): Promise<ApprovalQueueResult[]> {
  const results: ApprovalQueueResult[] = [];
  for (const pending of options.pending) {
    const result = await runApprovalQueueBench({
      stack,
      userIds: userIds.slice(0, pending),
      tag: `${pending}`,
      pageReads: 5,
      timeoutMs: options.timeoutMs,
    });
    results.push(result);
    const slowest = result.slowest[0];
    say(
      `  (3) ${pending} pending: 'Bulk approve' ${result.approveAllMs.toFixed(0)} ms, all enqueued ${result.allEnqueuedMs.toFixed(0)} ms, first page ${result.firstPageMs.toFixed(1)} ms, ` +
        `forks (append-only-file rewrites) of provisim's Redis ${result.redisForks}; Redis's time per task ${busiestCommands(result.busiestRedisCommands, result.approved)}` +
        (slowest
          ? `; slowest Redis command ${(slowest.durationUs / 1000).toFixed(1)} ms: ${slowest.command}`
          : ''),
    );
  }
  return results;
}

await main();
