import type { BenchStack } from './lib/bench-stack.ts';
import { meterProcesses, type ProcessUsage } from './lib/process-meter.ts';
import { appCounts, assignUsersByRoles, createApprovalApp } from './lib/provisim-app.ts';
import {
  type CommandDelta,
  diffCommandStats,
  forkCount,
  type KeyKindMemory,
  keyMemoryByKind,
  keyspaceTableBytes,
  memoryGrowthByKind,
  readCommandStats,
  readSlowlog,
  resetSlowlog,
  rewriteDueFiles,
  type SlowEntry,
  targetRequestsAnswered,
  usedMemory,
} from './lib/redis-stats.ts';
import { type BenchOrg, countOrgUsers, createBenchOrg } from './lib/target-org.ts';

export interface PushBenchOptions {
  stack: BenchStack;
  /** Directory users to assign; every one becomes a pending create. */
  userIds: readonly string[];
  workers: number;
  /** Pushes in flight across all worker processes and apps: the C of the target capacity run. */
  concurrency: number;
  /** Apps the users are split over, each with its own target org and C/apps of the concurrency (default 1). */
  apps?: number;
  tag: string;
  /** Gives up when the push has not finished by then. */
  timeoutMs: number;
}

export interface PushBenchResult {
  users: number;
  apps: number;
  workers: number;
  seconds: number;
  usersPerSecond: number;
  scimRequests: number;
  scimRequestsPerSecond: number;
  approveAllMs: number;
  failed: number;
  redisCommands: number;
  redisCommandsPerUser: number;
  /** Growth of provisim Redis's `used_memory` from before the apps were made to after the push, per user. */
  redisBytesPerUser: number;
  /** What the keys gained from before the apps were made to after the push, by kind of key (`MEMORY USAGE`), most first. */
  memoryByKind: KeyKindMemory[];
  /** Growth of `used_memory` no key's MEMORY USAGE counts: the keyspace's hash table slots, and the rest (clients, scripts, buffers). */
  memoryOutsideKeys: { keyspaceTable: number; rest: number };
  topRedisCommands: CommandDelta['byCommand'];
  /** Forks of provisim's Redis and of the target's during the push (append-only-file rewrites). */
  redisForks: { provisim: number; target: number };
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

const pushForks = async (stack: BenchStack) => ({
  provisim: await forkCount(stack.redisServers),
  target: await forkCount([stack.targetRedis]),
});

interface PushedApp {
  appId: string;
  org: BenchOrg;
  users: number;
}

/** A fresh app on a fresh target org with these users as pending creates. */
async function appWithPendingCreates(
  stack: BenchStack,
  name: string,
  userIds: readonly string[],
  concurrency: number,
): Promise<PushedApp> {
  const org = await createBenchOrg(stack.targetApi, name);
  const appId = await createApprovalApp(stack.api, name, org, concurrency);
  await assignUsersByRoles(stack.api, appId, userIds);
  const pending = (await appCounts(stack.api, appId)).pending;
  if (pending !== userIds.length)
    throw new Error(`expected ${userIds.length} pending creates, the app has ${pending}`);
  return { appId, org, users: userIds.length };
}

/**
 * End-to-end push: N pending creates on fresh apps (one by default) and target orgs, one 'Bulk approve'
 * per app at once, then the time until every app is idle and every user is on the target.
 */
export async function runPushBench(options: PushBenchOptions): Promise<PushBenchResult> {
  const { stack, userIds } = options;
  const users = userIds.length;
  const appCount = options.apps ?? 1;
  const memoryBefore = await usedMemory(stack.redisServers);
  const keysBefore = await keyMemoryByKind(stack.redisServers, [], userIds);
  const tableBefore = await keyspaceTableBytes(stack.redisServers);
  const share = Math.ceil(users / appCount);
  const apps: PushedApp[] = [];
  for (let i = 0; i < appCount; i++)
    apps.push(
      await appWithPendingCreates(
        stack,
        `push-${options.tag}-${i + 1}`,
        userIds.slice(i * share, (i + 1) * share),
        Math.ceil(options.concurrency / appCount),
      ),
    );
  await rewriteDueFiles([...stack.redisServers, stack.targetRedis]);
  const requestsBefore = await targetRequestsAnswered(stack.targetRedis);

  await resetSlowlog(stack.redisServers);
  const commandsBefore = await readCommandStats(stack.redisServers);
  const forksBefore = await pushForks(stack);
  const meter = meterProcesses(stack.processes());
  const start = performance.now();
  await Promise.all(apps.map((app) => stack.api.call('POST', `/api/apps/${app.appId}/tasks/approve-all`)));
  const approveAllMs = performance.now() - start;
  const failedPerApp = await Promise.all(
    apps.map((app) => waitForPush(stack, app.appId, app.users, options.timeoutMs)),
  );
  const failed = failedPerApp.reduce((sum, n) => sum + n, 0);
  const seconds = (performance.now() - start) / 1000;
  const processes = meter.stop();
  const commands = diffCommandStats(commandsBefore, await readCommandStats(stack.redisServers));
  const forksAfter = await pushForks(stack);

  const scimRequests = (await targetRequestsAnswered(stack.targetRedis)) - requestsBefore;
  const onTarget = (await Promise.all(apps.map((app) => countOrgUsers(app.org)))).reduce((a, b) => a + b, 0);
  if (onTarget !== users - failed)
    throw new Error(`target holds ${onTarget} users, expected ${users - failed}`);
  const memoryGrowth = (await usedMemory(stack.redisServers)) - memoryBefore;
  const memoryByKind = memoryGrowthByKind(
    keysBefore,
    await keyMemoryByKind(
      stack.redisServers,
      apps.map((app) => app.appId),
      userIds,
    ),
  );
  const keyspaceTable = (await keyspaceTableBytes(stack.redisServers)) - tableBefore;
  const inKeys = memoryByKind.reduce((sum, kind) => sum + kind.bytes, 0);
  return {
    users,
    apps: appCount,
    workers: options.workers,
    seconds,
    usersPerSecond: users / seconds,
    scimRequests,
    scimRequestsPerSecond: scimRequests / seconds,
    approveAllMs,
    failed,
    redisCommands: commands.total,
    redisCommandsPerUser: commands.total / users,
    redisBytesPerUser: memoryGrowth / users,
    memoryByKind,
    memoryOutsideKeys: { keyspaceTable, rest: memoryGrowth - inKeys - keyspaceTable },
    topRedisCommands: commands.byCommand.filter((c) => c.calls >= users / 20),
    redisForks: {
      provisim: forksAfter.provisim - forksBefore.provisim,
      target: forksAfter.target - forksBefore.target,
    },
    slowest: await readSlowlog(stack.redisServers, 5),
    processes,
  };
}
