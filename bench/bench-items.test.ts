import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../shared/src/logger/logger.ts';
import { testRedisUrl, uniquePrefix } from '../test/support/redis.ts';
import { runApprovalQueueBench } from './approval-queue.bench.ts';
import { type BenchStack, startBenchStack } from './lib/bench-stack.ts';
import { seedDirectoryUsers } from './lib/directory-seed.ts';
import { countOrgUsers, createBenchOrg } from './lib/target-org.ts';
import { runPushBench } from './push.bench.ts';
import { runRedisInstructionsBench } from './redis-instructions.bench.ts';
import { runTargetCapacityBench } from './target-capacity.bench.ts';

/** Every item of `npm run bench` at toy sizes against the real API, worker and target processes. */
describe('bench items', () => {
  let stack: BenchStack;
  let userIds: string[];

  beforeAll(async () => {
    const keyPrefix = uniquePrefix('bench');
    stack = await startBenchStack({
      logger: createLogger('bench-test', 'warn'),
      appendfsync: 'everysec',
      workerScheduling: 'idle',
      sharedRedis: { url: testRedisUrl(), keyPrefix },
    });
    userIds = await seedDirectoryUsers(stack.redisUrl, keyPrefix, keyPrefix, 40, 8);
  });
  afterAll(() => stack?.stop());

  it('(1) drives the lookup + POST mix at the target, one new user per pair', async () => {
    const org = await createBenchOrg(stack.targetApi, 'capacity-test');
    const result = await runTargetCapacityBench({ org, users: 30, concurrency: 4, tag: 'test' });
    // 30 users over 4 connections: rounded up to 32 so each connection sends whole lookup + POST pairs.
    expect(result).toMatchObject({ users: 32, non2xx: 0, errors: 0 });
    expect(result.requestsPerSecond).toBeCloseTo(result.usersPerSecond * 2, 6);
    expect(await countOrgUsers(org)).toBe(32);
  });

  it('(2) pushes every approved create to the target and meters each process', async () => {
    await stack.setWorkers(1, 4);
    const result = await runPushBench({
      stack,
      userIds: userIds.slice(0, 25),
      workers: 1,
      concurrency: 4,
      tag: 'test',
      timeoutMs: 30_000,
    });
    expect(result).toMatchObject({ users: 25, workers: 1, failed: 0 });
    // A create is a lookup then a POST; the shared test Redis may journal other tests' requests too.
    expect(result.scimRequests).toBeGreaterThanOrEqual(50);
    expect(result.redisCommandsPerUser).toBeGreaterThan(0);
    expect(result.processes.map((p) => p.name).sort()).toEqual(['api', 'target', 'worker-1x-1']);
    for (const usage of result.processes) expect(usage.peakRssBytes).toBeGreaterThan(0);
    expect(result.processes.reduce((sum, p) => sum + p.cpuSeconds, 0)).toBeGreaterThan(0);
  });

  it('(5) pushes users split over several apps, each on its own target org, all at once', async () => {
    await stack.setWorkers(2, 2);
    const result = await runPushBench({
      stack,
      userIds: userIds.slice(25, 40),
      workers: 2,
      concurrency: 4,
      apps: 3,
      tag: 'test-apps',
      timeoutMs: 30_000,
    });
    expect(result).toMatchObject({ users: 15, apps: 3, workers: 2, failed: 0 });
    expect(result.scimRequests).toBeGreaterThanOrEqual(30);
  });

  it('(3) bulk-approves every pending task with no worker running', async () => {
    const result = await runApprovalQueueBench({
      stack,
      userIds: userIds.slice(0, 40),
      tag: 'test',
      pageReads: 2,
      timeoutMs: 30_000,
    });
    expect(result).toMatchObject({ pending: 40, approved: 40 });
    expect(result.allEnqueuedMs).toBeGreaterThanOrEqual(result.approveAllMs);
    expect(stack.workerProcesses()).toHaveLength(0);
    expect(result.redisCommandsPerTask).toBeGreaterThan(0);
  });

  it('(6) counts the Redis instructions of a bulk approval under callgrind, the same again for the same work', async () => {
    const first = await runRedisInstructionsBench(60);
    const second = await runRedisInstructionsBench(60);
    expect(first).toMatchObject({ tasks: 60 });
    // A task's approval is a few script calls' share, its log and its job: tens of thousands of instructions.
    expect(first.instructionsPerTask).toBeGreaterThan(10_000);
    expect(first.commandsPerTask).toBeGreaterThan(1);
    expect(Math.abs(second.instructionsPerTask / first.instructionsPerTask - 1)).toBeLessThan(0.01);
  });
});
