import { Queue } from 'bullmq';
import { loadConfig } from '../shared/src/config/env.ts';
import { bullPrefix, pushQueueName } from '../shared/src/store/push-queues.ts';
import type { BenchStack } from './lib/bench-stack.ts';
import { meterProcesses, type ProcessUsage } from './lib/process-meter.ts';
import { appCounts, assignUsersByRoles, createApprovalApp } from './lib/provisim-app.ts';
import {
  type CommandDelta,
  diffCommandStats,
  readCommandStats,
  readSlowlog,
  resetSlowlog,
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
  /** From the call until every approved task is a job on the app's push queue (the work a fast call defers). */
  allEnqueuedMs: number;
  /** Redis commands from the call until every job was enqueued, per approved task. */
  redisCommandsPerTask: number;
  topRedisCommands: CommandDelta['byCommand'];
  /** Redis's slowest commands during the call (SLOWLOG, over 10 ms by default). */
  slowest: SlowEntry[];
  /** CPU of the API and Redis from the call until every job was enqueued. */
  processes: ProcessUsage[];
}

/** Polls the app's push queue (BullMQ, read-only) until it holds `jobs` jobs waiting for a worker. */
async function waitForEnqueued(
  stack: BenchStack,
  appId: string,
  jobs: number,
  timeoutMs: number,
): Promise<void> {
  const prefix = bullPrefix(loadConfig({ PROVISIM_KEY_PREFIX: stack.keyPrefix }));
  const queue = new Queue(pushQueueName(appId), { connection: stack.redis, prefix });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await queue.getJobCounts('wait', 'paused', 'prioritized', 'delayed', 'waiting-children');
      const waiting = Object.values(counts).reduce((a, b) => a + b, 0);
      if (waiting >= jobs) return;
      if (Date.now() > deadline)
        throw new Error(`only ${waiting} of ${jobs} jobs enqueued after ${timeoutMs} ms`);
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
  await resetSlowlog(stack.redisServers);
  const commandsBefore = await readCommandStats(stack.redisServers);
  const meter = meterProcesses(stack.processes().filter((p) => p.name === 'api' || p.name === 'redis'));
  const start = performance.now();
  const approve = await timed(() =>
    stack.api.call<{ approved: number }>('POST', `/api/apps/${appId}/tasks/approve-all`),
  );
  await waitForEnqueued(stack, appId, approve.value.approved, options.timeoutMs);
  const allEnqueuedMs = performance.now() - start;
  const processes = meter.stop();
  const commands = diffCommandStats(commandsBefore, await readCommandStats(stack.redisServers));
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
    redisCommandsPerTask: commands.total / Math.max(1, approve.value.approved),
    topRedisCommands: commands.byCommand.slice(0, 12),
    slowest,
    processes,
  };
}
