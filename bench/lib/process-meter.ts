import { cpuTimesOf, rssBytesOf } from './proc-stats.ts';

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
  const cpuAtStart = processes.map((p) => {
    try {
      return cpuTimesOf(p.pid);
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
        const cpuSeconds = now.total - (cpuAtStart[i]?.total ?? 0);
        const kernelCpuSeconds = now.kernel - (cpuAtStart[i]?.kernel ?? 0);
        return {
          name: p.name,
          cpuSeconds,
          kernelCpuSeconds,
          cores: cpuSeconds / seconds,
          peakRssBytes: peaks[i] ?? 0,
        };
      });
    },
  };
}
