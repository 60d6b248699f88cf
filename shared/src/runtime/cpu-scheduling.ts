import { spawnSync } from 'node:child_process';
import type { Logger } from '../logger/logger.ts';

/** How a worker process asks Linux to schedule it (PROVISIM_WORKER_SCHEDULING, the bench's --worker-scheduling). */
export const CPU_SCHEDULINGS = ['idle', 'normal'] as const;
export type CpuScheduling = (typeof CPU_SCHEDULINGS)[number];

/**
 * Puts every thread of this process in Linux's idle scheduling class (SCHED_IDLE) with util-linux's
 * `chrt`; threads started later inherit it. Such a process runs on what the others leave: the kernel
 * counts a core that runs only idle-class threads as free, so a process waking up (a SCIM server on
 * the same machine, its Redis) is placed there and runs at once, instead of queueing behind pushes on
 * a busy core. Where it cannot be set (not Linux, no `chrt`), the process runs as any other and says so.
 */
export function applyCpuScheduling(scheduling: CpuScheduling, logger: Logger): void {
  if (scheduling === 'normal') return;
  if (process.platform !== 'linux') {
    logger.warn(
      { platform: process.platform },
      'idle CPU scheduling is Linux-only; running as a normal process',
    );
    return;
  }
  const chrt = spawnSync('chrt', ['--idle', '--all-tasks', '--pid', '0', String(process.pid)], {
    encoding: 'utf8',
  });
  if (chrt.error || chrt.status !== 0) {
    logger.warn(
      { err: chrt.error?.message ?? chrt.stderr.trim(), status: chrt.status },
      'could not set idle CPU scheduling (util-linux chrt); running as a normal process',
    );
    return;
  }
  logger.info('CPU scheduling: idle (SCHED_IDLE)');
}
