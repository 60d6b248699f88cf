import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { LogEvent, LogStatus } from '../api/types.ts';
import { queryKeys } from './query-keys.ts';

export type MinuteBucket = { minute: number; pushes: number; failures: number };

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const MAX_PAGES = 5;

const fetchSince = async (status: LogStatus, since: string): Promise<LogEvent[]> => {
  const events: LogEvent[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.log.list({ status, since, cursor, limit: 1000 });
    events.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return events;
};

/**
 * Pushes and failures per minute over the last hour, oldest minute first. A push is a task's outcome
 * event (the one without a SCIM request): its individual SCIM calls are logged beside it and not counted.
 */
export const bucketByMinute = (succeeded: LogEvent[], failed: LogEvent[], now: number): MinuteBucket[] => {
  const start = Math.floor((now - HOUR_MS) / MINUTE_MS) + 1;
  const buckets = Array.from({ length: 60 }, (_, i) => ({
    minute: (start + i) * MINUTE_MS,
    pushes: 0,
    failures: 0,
  }));
  const add = (events: LogEvent[], field: 'pushes' | 'failures') => {
    for (const event of events) {
      if (event.request) continue;
      const bucket = buckets[Math.floor(Date.parse(event.at) / MINUTE_MS) - start];
      if (bucket) bucket[field] += 1;
    }
  };
  add(succeeded, 'pushes');
  add(failed, 'failures');
  return buckets;
};

export const usePushHistory = () =>
  useQuery({
    queryKey: queryKeys.log.pushes,
    refetchInterval: 15_000,
    queryFn: async () => {
      const now = Date.now();
      const since = new Date(now - HOUR_MS).toISOString();
      const [succeeded, failed] = await Promise.all([
        fetchSince('succeeded', since),
        fetchSince('failed', since),
      ]);
      return bucketByMinute(succeeded, failed, now);
    },
  });
