import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CPU_SCHEDULINGS } from '../../shared/src/runtime/cpu-scheduling.ts';

const count = z.coerce.number().int().min(1);
const countList = z
  .string()
  .transform((text) => text.split(',').map(Number))
  .pipe(z.array(z.number().int().min(1)).min(1));
export const BENCH_ITEMS = ['capacity', 'push', 'approval', 'log', 'scale', 'instructions'] as const;
export const BENCH_REDIS = ['single', 'cluster'] as const;
export type BenchRedis = (typeof BENCH_REDIS)[number];

const optionsSchema = z.object({
  users: count.default(10_000),
  concurrency: count.max(1000).default(16),
  runs: count.max(20).default(3),
  workers: countList.default([1, 2]),
  /** Users of the one push after the series whose Redis memory per user is the figure of record. */
  memoryUsers: count.default(50_000),
  /** Item (5), scale-out: worker processes, users, apps the users are split over, provisim's Redis. */
  scaleWorkers: countList.default([1, 2, 4]),
  scaleUsers: count.default(6000),
  scaleApps: count.max(100).default(3),
  /** provisim's Redis for item (5): one server, a local cluster of 3 masters, or one after the other. */
  redis: z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(BENCH_REDIS)).min(1))
    .default([...BENCH_REDIS]),
  pending: countList.default([10_000, 100_000]),
  logEvents: count.default(1_000_000),
  /** Item (6): pending tasks approved against a Redis under callgrind (9-12 s in all for 2,000 here). */
  instructionTasks: count.default(2000),
  setupConcurrency: count.max(1000).default(256),
  only: z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(BENCH_ITEMS)).min(1))
    .default([...BENCH_ITEMS]),
  appendfsync: z.enum(['always', 'everysec', 'no']).default('everysec'),
  /** The worker processes' PROVISIM_WORKER_SCHEDULING (`normal` to compare with the default, `idle`). */
  workerScheduling: z.enum(CPU_SCHEDULINGS).default('idle'),
  cpuProf: z.boolean().default(false),
  timeoutMs: count.default(600_000),
});

export type BenchOptions = z.infer<typeof optionsSchema>;

const flags = {
  users: 'users',
  concurrency: 'concurrency',
  runs: 'runs',
  workers: 'workers',
  memoryUsers: 'memory-users',
  scaleWorkers: 'scale-workers',
  scaleUsers: 'scale-users',
  scaleApps: 'scale-apps',
  redis: 'redis',
  pending: 'pending',
  logEvents: 'log-events',
  instructionTasks: 'instruction-tasks',
  setupConcurrency: 'setup-concurrency',
  only: 'only',
  appendfsync: 'appendfsync',
  workerScheduling: 'worker-scheduling',
  timeoutMs: 'timeout-ms',
} as const;

export const BENCH_USAGE = `npm run bench -- [--users N] [--concurrency C] [--runs R] [--workers 1,2] [--memory-users N]
  [--scale-workers 1,2,4] [--scale-users N] [--scale-apps N] [--redis single,cluster]
  [--pending 10000,100000] [--log-events N] [--instruction-tasks N] [--setup-concurrency N] [--only ${BENCH_ITEMS.join(',')}]
  [--appendfsync everysec|always|no] [--worker-scheduling ${CPU_SCHEDULINGS.join('|')}] [--timeout-ms N] [--cpu-prof]`;

/** Parses `npm run bench -- --users 10000 ...`; a bad flag throws naming it. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.values(flags).map((flag) => [flag, { type: 'string' as const }])),
      'cpu-prof': { type: 'boolean' },
    },
    strict: true,
  });
  const raw = Object.fromEntries(
    Object.entries(flags).map(([key, flag]) => [key, (values as Record<string, unknown>)[flag]]),
  );
  const parsed = optionsSchema.safeParse({ ...raw, cpuProf: values['cpu-prof'] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = key in flags ? flags[key as keyof typeof flags] : key;
    throw new Error(`--${flag}: ${issue?.message}\nusage: ${BENCH_USAGE}`);
  }
  return parsed.data;
}
