import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../shared/src/config/env.ts';
import { createLogger } from '../shared/src/logger/logger.ts';
import { Lifecycle } from '../shared/src/provisioning/lifecycle.ts';
import { Committer, Transition } from '../shared/src/provisioning/transition.ts';
import { freeLoopbackPort, STORE_LAYOUT_ARGS, waitForPing } from '../shared/src/redis/embedded-redis.ts';
import { newId } from '../shared/src/store/ids.ts';
import { PushQueues } from '../shared/src/store/push-queues.ts';
import { createStores } from '../shared/src/store/stores.ts';
import type { Task } from '../shared/src/types/task.schema.ts';
import { commandsProcessed } from './lib/redis-stats.ts';

export const VALGRIND_INSTALL_HINT = 'sudo apt-get install -y valgrind';

export interface RedisInstructionsResult {
  tasks: number;
  /** Instructions provisim's Redis ran for the approval (staging and every chunk), per task. */
  instructionsPerTask: number;
  commandsPerTask: number;
}

/** The instructions a callgrind output file counted (its `totals:` line; its `summary:` may say 0), 0 when none. */
function callgrindTotal(text: string): number {
  const line = /^totals: (\d+)/m.exec(text);
  return line ? Number(line[1]) : 0;
}

export const valgrindInstalled = (): boolean => !spawnSync('valgrind', ['--version']).error;

const SEED_CHUNK = 500;

/** A create task of a directory user as the mapping makes it (core user, name, work email, title). */
function pendingCreate(appId: string, i: number): Task {
  // The same users in every run, as long as an id (newId's 21 characters): which of them share a log
  // bucket, and so how many bucket entries a call appends, is then the same too.
  const userId = `user-${String(i).padStart(16, '0')}`;
  const resource = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `user-${i}@example.com`,
    name: { givenName: `Given${i}`, familyName: `Family${i}`, formatted: `Given${i} Family${i}` },
    displayName: `Given${i} Family${i}`,
    emails: [{ value: `user-${i}@example.com`, type: 'work', primary: true }],
    title: 'Engineer',
    active: true,
  };
  return {
    id: newId(),
    appId,
    userId,
    action: 'create',
    status: 'pending',
    approvalKind: 'create',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
    method: 'POST',
    preview: resource,
    resource,
    groups: [],
  };
}

/**
 * Item (6): a bulk approval of `tasks` pending tasks (the lifecycle's staging and materialisation, as in
 * item (3)) against a redis-server run by valgrind's callgrind, which counts the instructions only while
 * the approval runs. A count of instructions, unlike a time, does not move with the machine's load:
 * it tells a change to the scripts' work from noise in one run. Laid out as the embedded Redis lays out
 * the data, without persistence (no append-only file), so it counts the commands' and scripts' work alone.
 */
export async function runRedisInstructionsBench(tasks: number): Promise<RedisInstructionsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'provisim-callgrind-'));
  const port = await freeLoopbackPort();
  const server = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(dir, 'callgrind.out.%p')}`,
      'redis-server',
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      // Redis's timer work (expiry, stats) once a second, not ten times: it runs with the wall time,
      // which valgrind stretches by as much as the machine's load, and is no command's work.
      ...['--hz', '1'],
      ...STORE_LAYOUT_ARGS,
    ],
    { stdio: 'ignore' },
  );
  const pid = String(server.pid);
  const exited = new Promise((r) => server.once('exit', r));
  const url = `redis://127.0.0.1:${port}`;
  // Connected once Redis answers; no reconnecting after the SHUTDOWN that ends the count.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const config = loadConfig({ REDIS_URL: url, PROVISIM_KEY_PREFIX: 'callgrind' });
  const logger = createLogger('bench-callgrind', 'warn');
  const queues = new PushQueues(config, redis, logger);
  try {
    // Valgrind takes a few seconds to start Redis.
    await waitForPing(url, 60_000, () =>
      server.exitCode === null
        ? undefined
        : new Error(`redis-server under valgrind exited (${server.exitCode})`),
    );
    const stores = createStores(redis, config);
    const lifecycle = new Lifecycle(stores, queues, logger);
    const appId = newId();
    const committer = new Committer(redis, stores.log);
    for (let i = 0; i < tasks; i += SEED_CHUNK) {
      const chunk = Array.from({ length: Math.min(SEED_CHUNK, tasks - i) }, (_, k) =>
        pendingCreate(appId, i + k),
      );
      await committer.commitMany(
        chunk.map((task) =>
          new Transition(stores.keys, appId).saveTask(task).writeAppUser(appId, task.userId, {
            email: `${task.userId}@example.com`,
            pendingTaskId: task.id,
          }),
        ),
      );
    }
    // The app's queue opened before the count: its first use sends BullMQ's own setup commands.
    await queues.queue(appId).waitUntilReady();
    execFileSync('callgrind_control', ['--instr=on', pid], { stdio: 'ignore' });
    const commandsBefore = await commandsProcessed([redis]);
    const approved = await lifecycle.approvals.stage(appId, 'admin');
    while ((await lifecycle.approvals.step(appId)) !== 'done');
    // Less the INFO that read the count before.
    const commandsDuring = (await commandsProcessed([redis])) - commandsBefore - 1;
    execFileSync('callgrind_control', ['--instr=off', pid], { stdio: 'ignore' });
    if (approved !== tasks) throw new Error(`approved ${approved} of ${tasks} pending tasks`);
    // Redis closes the connection rather than answer.
    await redis.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    await exited;
    const instructions = readdirSync(dir)
      .filter((name) => name.startsWith('callgrind.out.'))
      .reduce((sum, name) => sum + callgrindTotal(readFileSync(join(dir, name), 'utf8')), 0);
    return { tasks, instructionsPerTask: instructions / tasks, commandsPerTask: commandsDuring / tasks };
  } finally {
    server.kill('SIGKILL');
    await queues.close();
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
