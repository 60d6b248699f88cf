import { Queue } from 'bullmq';
import { loadConfig } from '../shared/src/config/env.ts';
import { storeKeys } from '../shared/src/store/keys.ts';
import { bullPrefix, pushQueueName } from '../shared/src/store/push-queues.ts';
import type { BenchStack } from './lib/bench-stack.ts';
import { meterProcesses, type ProcessUsage } from './lib/process-meter.ts';
import { appCounts, assignUsersByRoles, createApprovalApp } from './lib/provisim-app.ts';
import {
  type CommandDelta,
  diffCommandStats,
  forkCount,
  readCommandStats,
  readSlowlog,
  resetSlowlog,
  rewriteDueFiles,
  type SlowEntry,
} from './lib/redis-stats.ts';
import { median, timed } from './lib/stats.ts';
import { createBenchOrg } from './lib/target-org.ts';

export interface ApprovalQueueOptions {
  stack: BenchStack;
  userIds: readonly string[];
  tag: string;
  /** How many times the first page is read (median reported). */
  pageReads: number;
  /** Gives up when the approved jobs are not all enqueued by then. */
  timeoutMs: number;
}

export interface ApprovalQueueResult {
  pending: number;
  setupSeconds: number;
  firstPageMs: number;
  approveAllMs: number;
  approved: number;
  /** From the call until every approved task is in a job on the app's push queue (the work a fast call defers). */
  allEnqueuedMs: number;
  /** The jobs holding them. */
  jobs: number;
  /** Redis commands from the call until every job was enqueued, per approved task. */
  redisCommandsPerTask: number;
  topRedisCommands: CommandDelta['byCommand'];
  /** The commands Redis spent most time in, most first. */
  busiestRedisCommands: CommandDelta['byCommand'];
  /** Redis's slowest commands during the call (SLOWLOG, over 10 ms by default). */
  slowest: SlowEntry[];
  /** CPU of the API and Redis from the call until every job was enqueued. */
  processes: ProcessUsage[];
  /** Forks of provisim's Redis meanwhile (append-only-file rewrites): the child takes a core no meter counts. */
  redisForks: number;
}

/**
 * Polls until every approved task's push is a job on the app's queue: no bulk approval is left staged,
 * the outbox (pushes owed but not yet added as jobs) is empty and `approved` tasks are queued. Answers
 * how many jobs hold them (a job carries up to 50 users).
 */
async function waitForEnqueued(
  stack: BenchStack,
  appId: string,
  approved: number,
  timeoutMs: number,
): Promise<number> {
  const config = loadConfig({ PROVISIM_KEY_PREFIX: stack.keyPrefix });
  const keys = storeKeys(config.PROVISIM_KEY_PREFIX);
  const queue = new Queue(pushQueueName(appId), { connection: stack.redis, prefix: bullPrefix(config) });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [staged, owed, queued] = await Promise.all([
        stack.redis.zcard(keys.appApprovals(appId)),
        stack.redis.scard(keys.appOutbox(appId)),
        stack.redis.zcard(keys.appTaskStatus(appId, 'queued')),
      ]);
      if (staged === 0 && owed === 0 && queued >= approved)
        return queue.getJobCountByTypes('wait', 'paused', 'prioritized', 'delayed');
      if (Date.now() > deadline)
        throw new Error(
          `after ${timeoutMs} ms: ${queued} of ${approved} approved, ${owed} owed a job, ${staged} batches staged`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await queue.close();
  }
}

/**
 * 'Bulk approve' at scale, with no worker process running so the call's own cost (enqueue only)
 * is what is timed, and the first page of pending read before it.
 */
export async function runApprovalQueueBench(options: ApprovalQueueOptions): Promise<ApprovalQueueResult> {
  const { stack, userIds } = options;
  await stack.setWorkers(0, 1);
  const setup = await timed(async () => {
    const org = await createBenchOrg(stack.targetApi, `approval-${options.tag}`);
    const appId = await createApprovalApp(stack.api, `Approval ${options.tag}`, org, 16); // concurrency unused: no worker runs here;
    await assignUsersByRoles(stack.api, appId, userIds);
    return appId;
  });
  const appId = setup.value;
  const pending = (await appCounts(stack.api, appId)).pending;
  if (pending !== userIds.length)
    throw new Error(`expected ${userIds.length} pending, the app has ${pending}`);

  const pageTimes: number[] = [];
  for (let i = 0; i < options.pageReads; i++) {
    const read = await timed(() =>
      stack.api.call<{ items: unknown[] }>('GET', `/api/apps/${appId}/tasks?status=pending&limit=50`),
    );
    if (read.value.items.length !== Math.min(50, pending))
      throw new Error('first page of pending came back short');
    pageTimes.push(read.ms);
  }
  await rewriteDueFiles([...stack.redisServers, stack.targetRedis]);
  await resetSlowlog(stack.redisServers);
  const commandsBefore = await readCommandStats(stack.redisServers);
  const forksBefore = await forkCount(stack.redisServers);
  const meter = meterProcesses(stack.processes().filter((p) => p.name === 'api' || p.name === 'redis'));
  const start = performance.now();
  const approve = await timed(() =>
    stack.api.call<{ approved: number }>('POST', `/api/apps/${appId}/tasks/approve-all`),
  );
  const jobs = await waitForEnqueued(stack, appId, approve.value.approved, options.timeoutMs);
  const allEnqueuedMs = performance.now() - start;
  const processes = meter.stop();
  const commands = diffCommandStats(commandsBefore, await readCommandStats(stack.redisServers));
  const redisForks = (await forkCount(stack.redisServers)) - forksBefore;
  const slowest = await readSlowlog(stack.redisServers, 5);
  // Deleting the app drains its queue, so the next size starts from an empty one.
  await stack.api.call('DELETE', `/api/apps/${appId}`);
  return {
    pending,
    setupSeconds: setup.ms / 1000,
    firstPageMs: median(pageTimes),
    approveAllMs: approve.ms,
    approved: approve.value.approved,
    allEnqueuedMs,
    jobs,
    redisCommandsPerTask: commands.total / Math.max(1, approve.value.approved),
    topRedisCommands: commands.byCommand.slice(0, 12),
    busiestRedisCommands: [...commands.byCommand].sort((a, b) => b.usec - a.usec).slice(0, 5),
    slowest,
    processes,
    redisForks,
  };
}
