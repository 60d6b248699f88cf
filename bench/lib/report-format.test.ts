import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './bench-options.ts';
import type { ProcessUsage } from './process-meter.ts';
import { memoryGrowthByKind } from './redis-stats.ts';
import {
  busiestCommands,
  type CapacityRun,
  memoryByKindLines,
  type PushSeries,
  pushCostTable,
  pushSummaries,
  throughputTable,
} from './report.ts';
import { median } from './stats.ts';
import { renderTable } from './table.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of nothing');
  });
});

describe('renderTable', () => {
  it('renders Markdown with numbers right-aligned', () => {
    expect(
      renderTable(
        ['name', 'n'],
        [
          ['a', 1.5],
          ['bb', 12],
        ],
      ),
    ).toBe(['| name |    n |', '|------|-----:|', '| a    | 1.50 |', '| bb   |   12 |'].join('\n'));
  });
});

describe('parseBenchOptions', () => {
  it('reads sizes and lists from flags', () => {
    const options = parseBenchOptions([
      '--users',
      '500',
      '--pending',
      '100,1000',
      '--only',
      'push,approval',
      '--cpu-prof',
    ]);
    expect(options.users).toBe(500);
    expect(options.pending).toEqual([100, 1000]);
    expect(options.only).toEqual(['push', 'approval']);
    expect(options.cpuProf).toBe(true);
    expect(options.concurrency).toBe(16);
  });

  it('names the flag at fault', () => {
    expect(() => parseBenchOptions(['--pending', '10,x'])).toThrow(/^--pending: /);
    expect(() => parseBenchOptions(['--only', 'everything'])).toThrow(/^--only: /);
    expect(() => parseBenchOptions(['--log-events', '0'])).toThrow(/^--log-events: /);
  });
});

describe('pushSummaries', () => {
  const usage = (name: string, cpuSeconds: number): ProcessUsage => ({
    name,
    cpuSeconds,
    kernelCpuSeconds: cpuSeconds / 4,
    cores: 0.5,
    cpuWaitShare: 0.125,
    peakRssBytes: 1,
  });
  const run = (scimRequestsPerSecond: number, redisCommandsPerUser: number, redisServers = ['redis']) => ({
    users: 1000,
    apps: 1,
    workers: 1,
    seconds: 10,
    usersPerSecond: scimRequestsPerSecond / 2,
    scimRequests: 2000,
    scimRequestsPerSecond,
    approveAllMs: 1,
    failed: 0,
    redisCommands: redisCommandsPerUser * 1000,
    redisCommandsPerUser,
    redisBytesPerUser: 1500,
    memoryByKind: [],
    memoryOutsideKeys: { keyspaceTable: 0, rest: 0 },
    topRedisCommands: [],
    redisForks: { provisim: 0, target: 0 },
    slowest: [],
    processes: [
      usage('api', 0.2),
      usage('worker-1x-1', 1),
      ...redisServers.map((name) => usage(name, 0.5 / redisServers.length)),
      usage('target', 1.5),
      usage('target-redis', 0.3),
    ],
  });

  it('gives the ratio to the capacity in the same run, commands and CPU per user by side', () => {
    const capacity = [{ requestsPerSecond: 400 }, { requestsPerSecond: 500 }] as CapacityRun[];
    const cluster = ['redis-0', 'redis-1', 'redis-2'];
    const push: PushSeries[] = [
      { redis: 'single', workers: 1, concurrency: 16, runs: [run(300, 100), run(360, 120)], capacity: [] },
      { redis: 'cluster', workers: 1, concurrency: 16, runs: [run(300, 100, cluster)], capacity: [] },
    ];
    const [summary, onCluster] = pushSummaries(capacity, push);
    expect(summary).toMatchObject({
      redis: 'single',
      workers: 1,
      usersPerSecond: 165,
      redisCommandsPerUser: 110,
    });
    // A cluster's masters are all provisim's Redis.
    expect(onCluster?.redis).toBe('cluster');
    expect(onCluster?.cpuMsPerUser.provisim).toBeCloseTo(1.7);
    expect(summary?.ratio).toBeCloseTo(330 / 450);
    expect(summary?.cpuMsPerUser.workers).toBeCloseTo(1);
    expect(summary?.cpuMsPerUser.provisim).toBeCloseTo(1.7);
    expect(summary?.cpuMsPerUser.target).toBeCloseTo(1.8);
    expect(pushSummaries([], push)[0]?.ratio).toBeNull();
  });

  it('gives a series with runs of (1) beside its own the ratio to those, not to every run of (1)', () => {
    const capacity = [400, 500, 900].map((rps) => ({
      requestsPerSecond: rps,
      usersPerSecond: rps / 2,
      concurrency: 16,
    })) as CapacityRun[];
    const beside = capacity.slice(2);
    const push: PushSeries[] = [
      { redis: 'single', workers: 1, concurrency: 16, runs: [run(400, 30)], capacity: capacity.slice(0, 2) },
      { redis: 'single', workers: 2, concurrency: 16, runs: [run(810, 30)], capacity: beside },
      { redis: 'single', workers: 4, concurrency: 16, runs: [run(500, 30)], capacity: [] },
    ];
    const [one, two, four] = pushSummaries(capacity, push);
    expect(one?.ratio).toBeCloseTo(400 / 450);
    expect(two?.ratio).toBeCloseTo(810 / 900);
    expect(four?.ratio).toBeCloseTo(500 / 500);
    expect(throughputTable(capacity, push)).toMatch(/2 worker processes.*\| 450\s+\|\s+0\.90 \|/);
  });

  it("tells each process's CPU per user, the kernel's part of it and how long it waited for a CPU", () => {
    const series: PushSeries = {
      redis: 'single',
      workers: 1,
      concurrency: 16,
      runs: [run(300, 100)],
      capacity: [],
    };
    const worker = pushCostTable([series])
      .split('\n')
      .find((line) => line.includes('worker-1x-1'));
    // 1 CPU second over 1,000 users, a quarter of it in the kernel, an eighth of the run waiting for a CPU
    expect(worker?.split('|').map((cell) => cell.trim())).toEqual([
      '',
      'one Redis',
      '1',
      'worker-1x-1',
      '0.50',
      '1',
      '0.25',
      '0.13',
      '0.00',
      '',
    ]);
  });
});

describe('memory by kind of key', () => {
  it('tells what each kind gained, then what no key counts, adding up to the growth of used_memory', () => {
    const growth = memoryGrowthByKind(
      [
        { kind: 'dir:user', keys: 10, bytes: 1000 },
        { kind: 'dir:gone', keys: 1, bytes: 50 },
      ],
      [
        { kind: 'dir:user', keys: 10, bytes: 1000 },
        { kind: 'app:au', keys: 10, bytes: 4000 },
        { kind: 'app:index', keys: 1, bytes: 600 },
      ],
    );
    expect(growth).toEqual([
      { kind: 'app:au', keys: 10, bytes: 4000 },
      { kind: 'app:index', keys: 1, bytes: 600 },
      { kind: 'dir:gone', keys: -1, bytes: -50 },
    ]);
    const lines = memoryByKindLines({
      users: 10,
      memoryByKind: growth,
      memoryOutsideKeys: { keyspaceTable: 200, rest: 50 },
      redisBytesPerUser: 480,
    }).split('\n');
    expect(lines.find((line) => line.includes('all keys'))).toMatch(/\| +10 +\| +455 \|/);
    expect(lines.find((line) => line.includes('hash table slots'))).toMatch(/\| +20 \|/);
    expect(lines.at(-1)).toMatch(/growth of used_memory .*\| +480 \|/);
  });
});

describe('busiestCommands', () => {
  it("gives Redis's time per unit of work in each command, in the order given", () => {
    const commands = [
      { command: 'evalsha', calls: 40, usec: 6_100 },
      { command: 'zadd', calls: 400, usec: 420 },
    ];
    expect(busiestCommands(commands, 100)).toBe('evalsha 61 µs, zadd 4 µs');
  });
});
