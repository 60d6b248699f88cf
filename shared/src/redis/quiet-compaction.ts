import { Redis } from 'ioredis';
import type { Logger } from '../logger/logger.ts';

/**
 * Redis rewrites its append-only file in a forked child; while the child runs, every page the server
 * writes is copied (copy-on-write). Under a burst of writes that doubled a 100,000-task bulk approval's
 * time on this project's 2-core machines (README, performance). So the embedded Redis rewrites on its own
 * only once the file has grown to AUTO_REWRITE_PERCENT over its base, and is told to rewrite earlier,
 * at Redis's usual point (double its base), when it is quiet.
 */
export const AUTO_REWRITE_PERCENT = 400;
/** No rewrite of a smaller file, quiet or not (Redis's own auto-aof-rewrite-min-size). */
const QUIET_REWRITE_MIN_BYTES = 64 * 1024 * 1024;
/**
 * Redis's own rewrite waits for five times that size too: a file started empty has a base of 0, which
 * any percentage exceeds, so Redis would rewrite it at its minimum inside the first burst that reaches
 * it (a 10,000-user push did).
 */
export const AUTO_REWRITE_MIN_BYTES = 5 * QUIET_REWRITE_MIN_BYTES;

export interface CompactionPolicy {
  /** The file is due for a rewrite once this many times its base size (Redis's default point: 2). */
  dueFactor: number;
  /** Nor before it holds this many bytes (Redis's auto-aof-rewrite-min-size). */
  minBytes: number;
  /** Quiet: fewer commands a second than this (the poll itself sends one). */
  quietOpsPerSec: number;
  /** Polls in a row that must find Redis quiet and the file due. */
  quietPolls: number;
  pollMs: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = {
  dueFactor: 2,
  minBytes: QUIET_REWRITE_MIN_BYTES,
  quietOpsPerSec: 100,
  quietPolls: 3,
  pollMs: 1000,
};

/** What one poll reads of INFO persistence and stats. */
export interface AofReading {
  enabled: boolean;
  rewriting: boolean;
  currentBytes: number;
  baseBytes: number;
  opsPerSec: number;
}

export function readAofInfo(info: string): AofReading {
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return {
    enabled: field('aof_enabled') === 1,
    rewriting: field('aof_rewrite_in_progress') === 1 || field('aof_rewrite_scheduled') === 1,
    currentBytes: field('aof_current_size'),
    baseBytes: field('aof_base_size'),
    opsPerSec: field('instantaneous_ops_per_sec'),
  };
}

/** Whether a reading finds the file due for a rewrite, and none under way. */
export function dueForRewrite(reading: AofReading, policy: CompactionPolicy): boolean {
  return (
    reading.enabled &&
    !reading.rewriting &&
    reading.currentBytes >= policy.minBytes &&
    reading.currentBytes >= reading.baseBytes * policy.dueFactor
  );
}

/** Whether a reading finds the file due for a rewrite and Redis quiet enough to take one now. */
export const quietAndDue = (reading: AofReading, policy: CompactionPolicy): boolean =>
  dueForRewrite(reading, policy) && reading.opsPerSec < policy.quietOpsPerSec;

/** Polls the Redis at `url` and starts a rewrite of its append-only file when it is quiet and due. */
export function compactWhenQuiet(
  url: string,
  logger: Logger,
  policy: CompactionPolicy = DEFAULT_COMPACTION,
): { stop(): Promise<void> } {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // A poll that fails (Redis restarting) is reported by the poll; the connection's own events are not.
  redis.on('error', () => undefined);
  let inARow = 0;
  let stopped = false;
  const poll = async () => {
    try {
      const reading = readAofInfo(await redis.info('persistence', 'stats'));
      inARow = quietAndDue(reading, policy) ? inARow + 1 : 0;
      if (inARow >= policy.quietPolls) {
        inARow = 0;
        await redis.bgrewriteaof();
        logger.info(
          { aofBytes: reading.currentBytes, baseBytes: reading.baseBytes },
          'redis quiet: append-only file rewrite started',
        );
      }
    } catch (err) {
      if (!stopped) logger.warn({ err: (err as Error).message }, 'append-only file compaction poll failed');
    }
  };
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = poll();
  }, policy.pollMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      redis.disconnect();
    },
  };
}
