import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cpuTimesOf,
  parseCpuTimes,
  parseRunQueueWait,
  parseStatusBytes,
  rssBytesOf,
  runQueueWaitOf,
} from './proc-stats.ts';

describe('proc-stats', () => {
  it('reads utime + stime, and stime alone, past a command name holding spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 500 1000 200';
    expect(parseCpuTimes(stat)).toEqual({ total: 3.25, kernel: 0.75 });
  });

  it('rejects a stat line it cannot read', () => {
    expect(() => parseCpuTimes('4242 (node) S 1')).toThrow('unexpected /proc/<pid>/stat format');
  });

  it('reads the time a thread waited on a run queue from its schedstat line, in seconds', () => {
    expect(parseRunQueueWait('81234567890 2500000000 4321\n')).toBe(2.5);
    expect(() => parseRunQueueWait('')).toThrow('unexpected /proc/<pid>/schedstat format');
  });

  it("reads this very process's run-queue wait, which only grows", () => {
    const before = runQueueWaitOf(process.pid);
    expect(before).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 1000; i++) readFileSync('/proc/self/stat');
    expect(runQueueWaitOf(process.pid)).toBeGreaterThanOrEqual(before);
  });

  it('reads VmRSS and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n';
    expect(parseStatusBytes(status, 'VmRSS')).toBe(1024 * 1024);
    expect(parseStatusBytes(status, 'VmHWM')).toBe(2048 * 1024);
  });

  it('measures this very process: CPU grows with work, RSS lies within the peak', () => {
    const before = cpuTimesOf(process.pid).total;
    let x = 0;
    for (let i = 0; i < 3e7; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(cpuTimesOf(process.pid).total).toBeGreaterThan(before);
    expect(rssBytesOf(process.pid)).toBeGreaterThan(10 * 1024 * 1024);
    // Within one read: the kernel records the peak only at some points, not on every page freed, so an
    // RSS read earlier may exceed a high-water mark read after it (seen once in CI, by 128 KB).
    const status = readFileSync('/proc/self/status', 'utf8');
    expect(parseStatusBytes(status, 'VmRSS')).toBeLessThanOrEqual(parseStatusBytes(status, 'VmHWM'));
  });
});
