import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildHandle, killAllChildren, startWorkerProcess } from '../support/processes.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

/** The scheduling policy of each thread of `pid` (field 41 of /proc/<pid>/task/<tid>/stat). */
function threadPolicies(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[41 - 3]);
  });
}

const startWorker = (env: Record<string, string> = {}): Promise<ChildHandle> =>
  startWorkerProcess({
    REDIS_URL: testRedisUrl(),
    PROVISIM_KEY_PREFIX: uniquePrefix('sched'),
    LOG_LEVEL: 'info',
    ...env,
  });

describe.runIf(process.platform === 'linux')(
  'a worker process and the CPU (PROVISIM_WORKER_SCHEDULING)',
  () => {
    afterEach(killAllChildren);

    it('runs every thread in the idle class by default, and says so', async () => {
      const worker = await startWorker();
      expect(worker.output()).toContain('CPU scheduling: idle (SCHED_IDLE)');
      const policies = threadPolicies(worker.pid);
      expect(policies.length).toBeGreaterThan(1);
      expect(new Set(policies)).toEqual(new Set([SCHED_IDLE]));
    });

    it('stays a normal process when told to', async () => {
      const worker = await startWorker({ PROVISIM_WORKER_SCHEDULING: 'normal' });
      expect(new Set(threadPolicies(worker.pid))).toEqual(new Set([SCHED_OTHER]));
      expect(worker.output()).not.toContain('CPU scheduling');
    });

    it('without chrt, warns and works as a normal process', async () => {
      // An empty folder as the PATH (node itself is started by its full path): no util-linux.
      const emptyFolder = mkdtempSync(join(tmpdir(), 'no-chrt-'));
      try {
        const worker = await startWorker({ PATH: emptyFolder });
        expect(worker.output()).toContain('could not set idle CPU scheduling');
        expect(new Set(threadPolicies(worker.pid))).toEqual(new Set([SCHED_OTHER]));
      } finally {
        rmSync(emptyFolder, { recursive: true });
      }
    });

    it('refuses a scheduling it does not know, naming the variable', async () => {
      await expect(startWorker({ PROVISIM_WORKER_SCHEDULING: 'realtime' })).rejects.toThrow(
        /PROVISIM_WORKER_SCHEDULING/,
      );
    });
  },
);
