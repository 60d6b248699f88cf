import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux we run on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuTimes {
  /** User + system CPU seconds. */
  total: number;
  /** Of them, in the kernel (system calls: sockets, files). */
  kernel: number;
}

/** CPU seconds a process has used so far, from /proc/<pid>/stat. */
export function parseCpuTimes(stat: string): CpuTimes {
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) and stime (15) are indexes 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error('unexpected /proc/<pid>/stat format');
  return { total: (utime + stime) / CLOCK_TICKS_PER_SECOND, kernel: stime / CLOCK_TICKS_PER_SECOND };
}

/** A `Vm*:   1234 kB` line of /proc/<pid>/status, in bytes. */
export function parseStatusBytes(status: string, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`${field} missing from /proc/<pid>/status`);
  return Number(match[1]) * 1024;
}

/**
 * Seconds a thread has been ready to run but waited for a CPU, from /proc/<pid>/schedstat (time on a
 * CPU, time waiting on a run queue, both in ns; timeslices). For a process's pid, its main thread's.
 */
export function parseRunQueueWait(schedstat: string): number {
  const waitNs = Number(schedstat.trim().split(' ')[1]);
  if (!Number.isFinite(waitNs)) throw new Error('unexpected /proc/<pid>/schedstat format');
  return waitNs / 1e9;
}

export const runQueueWaitOf = (pid: number): number =>
  parseRunQueueWait(readFileSync(`/proc/${pid}/schedstat`, 'utf8'));

export const cpuTimesOf = (pid: number): CpuTimes => parseCpuTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));

export const rssBytesOf = (pid: number): number =>
  parseStatusBytes(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
