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
  targetRequestsAnswered,
} from './lib/redis-stats.ts';
import { countOrgUsers, createBenchOrg } from './lib/target-org.ts';

export interface PushBenchOptions {
  stack: BenchStack;
  /** Directory users to assign; every one becomes a pending create. */
  userIds: readonly string[];
  workers: number;
  /** The app's push concurrency across all worker processes: the C of the target capacity run. */
  concurrency: number;
  tag: string;
  /** Gives up when the push has not finished by then. */
  timeoutMs: number;
}

export interface PushBenchResult {
  users: number;
  workers: number;
  seconds: number;
  usersPerSecond: number;
  scimRequests: number;
  scimRequestsPerSecond: number;
  approveAllMs: number;
  failed: number;
  redisCommands: number;
  redisCommandsPerUser: number;
  topRedisCommands: CommandDelta['byCommand'];
  /** provisim Redis's slowest commands during the push (SLOWLOG). */
  slowest: SlowEntry[];
  processes: ProcessUsage[];
}

/** Polls until the app is idle and every user is provisioned (or failed); returns the app's failed count. */
async function waitForPush(
  stack: BenchStack,
  appId: string,
  users: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { idle } = await stack.api.call<{ idle: boolean }>('GET', `/api/apps/${appId}/idle?timeoutMs=1000`);
    if (idle) {
      const counts = await appCounts(stack.api, appId);
      if (counts.provisioned + counts.failed >= users) return counts.failed;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const counts = await appCounts(stack.api, appId);
  throw new Error(`push of ${users} users not done after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
}

/**
 * End-to-end push: N pending creates on a fresh app and target org, one 'Bulk approve', then the
 * time until the app is idle and every user is on the target.
 */
export async function runPushBench(options: PushBenchOptions): Promise<PushBenchResult> {
  const { stack, userIds } = options;
  const users = userIds.length;
  const org = await createBenchOrg(stack.targetApi, `push-${options.tag}`);
  const appId = await createApprovalApp(stack.api, `Push ${options.tag}`, org, options.concurrency);
  await assignUsersByRoles(stack.api, appId, userIds);
  const pending = (await appCounts(stack.api, appId)).pending;
  if (pending !== users) throw new Error(`expected ${users} pending creates, the app has ${pending}`);
  const requestsBefore = await targetRequestsAnswered(stack.targetRedis);

  await resetSlowlog(stack.redisServers);
  const commandsBefore = await readCommandStats(stack.redisServers);
  const meter = meterProcesses(stack.processes());
  const start = performance.now();
  await stack.api.call('POST', `/api/apps/${appId}/tasks/approve-all`);
  const approveAllMs = performance.now() - start;
  const failed = await waitForPush(stack, appId, users, options.timeoutMs);
  const seconds = (performance.now() - start) / 1000;
  const processes = meter.stop();
  const commands = diffCommandStats(commandsBefore, await readCommandStats(stack.redisServers));

  const scimRequests = (await targetRequestsAnswered(stack.targetRedis)) - requestsBefore;
  const onTarget = await countOrgUsers(org);
  if (onTarget !== users - failed)
    throw new Error(`target holds ${onTarget} users, expected ${users - failed}`);
  return {
    users,
    workers: options.workers,
    seconds,
    usersPerSecond: users / seconds,
    scimRequests,
    scimRequestsPerSecond: scimRequests / seconds,
    approveAllMs,
    failed,
    redisCommands: commands.total,
    redisCommandsPerUser: commands.total / users,
    topRedisCommands: commands.byCommand.slice(0, 12),
    slowest: await readSlowlog(stack.redisServers, 5),
    processes,
  };
}
