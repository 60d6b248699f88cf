import { useCallback, useRef, useState } from 'react';
import type { LogEvent } from '../api/types.ts';
import { useLogStream } from './use-log-stream.ts';

export type PushProgress = {
  /** Users whose push has ended since the run started, and how many of them failed. */
  done: number;
  failed: number;
  startedAt: number;
};

/** A push's last event: the outcome line (no SCIM request of its own) once the push has ended. */
const endsPush = (event: LogEvent) =>
  event.request === undefined && ['succeeded', 'failed', 'skipped'].includes(event.status);

/**
 * Live progress of a bulk change from the log's SSE stream: each user whose push ends counts once.
 * `running` opens the stream; open it before the change so that no early outcome is missed.
 */
export function usePushProgress(appId: string, running: boolean) {
  const ended = useRef(new Map<string, boolean>());
  const [progress, setProgress] = useState<PushProgress>({ done: 0, failed: 0, startedAt: Date.now() });
  const onEntry = useCallback((event?: LogEvent) => {
    if (!event || !endsPush(event)) return;
    ended.current.set(event.userId, event.status === 'failed');
    const failed = [...ended.current.values()].filter(Boolean).length;
    setProgress((current) => ({ ...current, done: ended.current.size, failed }));
  }, []);
  const stream = useLogStream(appId, running, onEntry);
  const reset = useCallback(() => {
    ended.current = new Map();
    setProgress({ done: 0, failed: 0, startedAt: Date.now() });
  }, []);
  return { progress, stream, reset };
}
