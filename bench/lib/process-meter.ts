import { cpuTimesOf, rssBytesOf, runQueueWaitOf } from './proc-stats.ts';

export interface MeteredProcess {
  name: string;
  pid: number;
}

export interface ProcessUsage {
  name: string;
  /** CPU seconds used during the measured window. */
  cpuSeconds: number;
  /** Of cpuSeconds, in the kernel. */
  kernelCpuSeconds: number;
  /** cpuSeconds over the window's wall time: 1.0 is one core fully busy. */
  cores: number;
  /**
   * Share of the window the main thread (a node process's event loop, Redis's command loop) was ready
   * to run but waited for a CPU the other processes held: what the machine's cores cost it.
   */
  cpuWaitShare: number;
  peakRssBytes: number;
}

export interface ProcessMeter {
  /** Stops sampling and returns each process's usage over the window. */
  stop(): ProcessUsage[];
}

/**
 * Measures CPU and peak RSS of processes over a window. RSS is sampled (VmHWM would hold the
 * peak since the process started, not the peak of this window).
 */
export function meterProcesses(processes: MeteredProcess[], sampleMs = 100): ProcessMeter {
  const startedAt = performance.now();
  const atStart = processes.map((p) => {
    try {
      return { cpu: cpuTimesOf(p.pid), wait: runQueueWaitOf(p.pid) };
    } catch (err) {
      throw new Error(`cannot meter ${p.name} (pid ${p.pid}): ${(err as Error).message}`);
    }
  });
  const peaks = processes.map((p) => rssBytesOf(p.pid));
  const gone = new Set<MeteredProcess>();
  const sample = () =>
    processes.forEach((p, i) => {
      if (gone.has(p)) return;
      try {
        peaks[i] = Math.max(peaks[i] ?? 0, rssBytesOf(p.pid));
      } catch {
        gone.add(p);
      }
    });
  const timer = setInterval(sample, sampleMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      if (gone.size > 0)
        throw new Error(
          `${[...gone].map((p) => `${p.name} (pid ${p.pid})`).join(', ')} exited while being measured`,
        );
      const seconds = (performance.now() - startedAt) / 1000;
      return processes.map((p, i) => {
        const now = cpuTimesOf(p.pid);
        const start = atStart[i] as (typeof atStart)[number];
        const cpuSeconds = now.total - start.cpu.total;
        const kernelCpuSeconds = now.kernel - start.cpu.kernel;
        return {
          name: p.name,
          cpuSeconds,
          kernelCpuSeconds,
          cores: cpuSeconds / seconds,
          cpuWaitShare: (runQueueWaitOf(p.pid) - start.wait) / seconds,
          peakRssBytes: peaks[i] ?? 0,
        };
      });
    },
  };
}
