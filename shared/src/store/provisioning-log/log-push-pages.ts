import { FieldError } from '../../errors/field-error.ts';
import { groupPushes, type LogPush } from '../../types/log-pushes.ts';
import type { LogEvent, LogFilter } from '../../types/log-types.ts';
import { decodeLogCursor, encodeLogCursor } from './log-codec.ts';
import { LOG_PAGE_MAX, type ProvisioningLog } from './provisioning-log.ts';

export const PUSH_PAGE_MAX = 100;

export interface PushPage {
  items: LogPush[];
  nextCursor: string | null;
}

const userKey = (event: LogEvent) => `${event.appId}\n${event.userId}`;

/**
 * The log as pushes, newest first, `limit` pushes a page, each push whole on one page: a push belongs
 * to the page that holds its newest matching event. The cursor is the position the next page starts
 * below, as for events. Each user met is read once through the user's index (their newest
 * LOG_PAGE_MAX matching events): that gives a listed push its older steps from below the page, and tells
 * a push already listed on an earlier page (it has an event at or above this page's start) to pass over.
 */
export async function queryPushes(
  log: ProvisioningLog,
  filter: LogFilter,
  page: { limit: number; cursor?: string },
): Promise<PushPage> {
  const start = page.cursor === undefined ? undefined : decodeLogCursor(page.cursor);
  if (start === null) throw new FieldError('cursor', 'is not a cursor this log issued');
  const histories = new Map<string, LogEvent[]>();
  const readHistories = async (events: LogEvent[]) => {
    const users = new Map(events.filter((e) => !histories.has(userKey(e))).map((e) => [userKey(e), e]));
    const reads = await Promise.all(
      [...users.values()].map(({ appId, userId }) =>
        log.query({ ...filter, appId, userId }, { limit: LOG_PAGE_MAX }),
      ),
    );
    for (const [i, key] of [...users.keys()].entries()) histories.set(key, reads[i]?.items ?? []);
  };
  const listedEarlier = (event: LogEvent) =>
    start !== undefined &&
    (histories.get(userKey(event)) ?? []).some((e) => e.taskId === event.taskId && e.id >= start);

  const steps = new Map<string, Map<string, LogEvent>>();
  const earlier = new Set<string>();
  let after = start;
  let cursor = page.cursor;
  for (;;) {
    const read = await log.query(filter, { limit: page.limit * 2, cursor });
    await readHistories(read.items);
    for (const event of read.items) {
      if (!steps.has(event.taskId) && !earlier.has(event.taskId)) {
        if (listedEarlier(event)) earlier.add(event.taskId);
        else if (steps.size === page.limit)
          return { items: pushesOf(steps, histories), nextCursor: encodeLogCursor(after as string) };
        else steps.set(event.taskId, new Map());
      }
      steps.get(event.taskId)?.set(event.id, event);
      after = event.id;
    }
    if (!read.nextCursor) return { items: pushesOf(steps, histories), nextCursor: null };
    cursor = read.nextCursor;
    // A read that ran out of its scan budget looked further than its last event.
    after = decodeLogCursor(cursor) as string;
  }
}

/** Each listed push with every step its user's history holds, newest push first. */
function pushesOf(steps: Map<string, Map<string, LogEvent>>, histories: Map<string, LogEvent[]>): LogPush[] {
  for (const [taskId, seen] of steps) {
    const first = seen.values().next().value as LogEvent;
    for (const event of histories.get(userKey(first)) ?? [])
      if (event.taskId === taskId) seen.set(event.id, event);
  }
  const byNewest = [...steps.values()].map((seen) =>
    [...seen.values()].sort((a, b) => (a.id < b.id ? 1 : -1)),
  );
  return groupPushes(byNewest.flat());
}
