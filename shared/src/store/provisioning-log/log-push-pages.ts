import { badRequest } from '../../errors/app-error.ts';
import { groupPushes, type LogPush } from '../../types/log-pushes.ts';
import { decodeCursor, encodeCursor, toEventId, toStreamId } from './log-codec.ts';
import type { LogEvent, LogFilter } from './log-types.ts';
import { LOG_PAGE_MAX, type ProvisioningLog } from './provisioning-log.ts';

export const PUSH_PAGE_MAX = 100;
/** Events read per round while filling a page of pushes. */
const READ = 500;
const CURSOR_MAX = 8192;

export interface PushPage {
  items: LogPush[];
  nextCursor: string | null;
}

/**
 * Where the next page starts (`after`, an event id: the page begins just below it) and the tasks an
 * earlier page already showed whole, each with the oldest of its events that page pulled in: below
 * `after`, their events belong to that earlier row and are passed over.
 */
interface PushCursor {
  after: string;
  shown: Map<string, string>;
}

const EVENT_ID = /^\d{13}-\d{6}$/;

export function encodePushCursor(cursor: PushCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.after, s: [...cursor.shown] })).toString('base64url');
}

export function decodePushCursor(text: string): PushCursor | null {
  if (text.length > CURSOR_MAX || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const { a, s } = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      a: unknown;
      s: unknown;
    };
    if (typeof a !== 'string' || !EVENT_ID.test(a) || !Array.isArray(s)) return null;
    const shown = new Map<string, string>();
    for (const entry of s) {
      if (!Array.isArray(entry) || entry.length !== 2) return null;
      const [taskId, oldest] = entry as unknown[];
      if (typeof taskId !== 'string' || typeof oldest !== 'string' || !EVENT_ID.test(oldest)) return null;
      shown.set(taskId, oldest);
    }
    return { after: a, shown };
  } catch {
    return null;
  }
}

const eventCursor = (eventId: string): string => encodeCursor(toStreamId(eventId) as string);

/**
 * The log as pushes, newest first, `limit` pushes a page, each push whole on one page: a push shows on
 * the page that holds its newest matching event, with its older events pulled in from below the page
 * (read through the user's index, up to LOG_PAGE_MAX of the user's events), and later pages pass those
 * over. A task's 'pending_approval' event is its first, so a push that reaches it needs no look below.
 */
export async function queryPushes(
  log: ProvisioningLog,
  filter: LogFilter,
  page: { limit: number; cursor?: string },
): Promise<PushPage> {
  const start = page.cursor === undefined ? undefined : decodePushCursor(page.cursor);
  if (start === null) throw badRequest('cursor', 'is not a cursor this log issued');
  const shown = start?.shown ?? new Map<string, string>();
  const tasks = new Map<string, LogEvent[]>();
  let after = start?.after;
  let more = true;
  let cursor = after && eventCursor(after);
  fill: for (;;) {
    const read = await log.query(filter, { limit: READ, cursor });
    for (const event of read.items) {
      const steps = tasks.get(event.taskId);
      if (steps) steps.push(event);
      else if (!shown.has(event.taskId)) {
        if (tasks.size === page.limit) break fill;
        tasks.set(event.taskId, [event]);
      }
      after = event.id;
    }
    if (!read.nextCursor) {
      more = false;
      break;
    }
    cursor = read.nextCursor;
    // A read that ran out of its scan budget looked further than its last event.
    after = toEventId(decodeCursor(cursor) as string);
  }
  if (!more || after === undefined)
    return { items: groupPushes([...tasks.values()].flat()), nextCursor: null };

  const below = await pullOlderSteps(log, filter, after, tasks);
  const stillAhead = [...shown].filter(([, oldest]) => oldest < (after as string));
  const nextShown = new Map([...stillAhead, ...below]);
  return {
    items: groupPushes([...tasks.values()].flat()),
    nextCursor: encodePushCursor({ after, shown: nextShown }),
  };
}

/** Appends to each unfinished push its events below `after`; answers each such task's oldest event id. */
async function pullOlderSteps(
  log: ProvisioningLog,
  filter: LogFilter,
  after: string,
  tasks: Map<string, LogEvent[]>,
): Promise<Map<string, string>> {
  const unfinished = new Map<string, { appId: string; userId: string }>();
  for (const steps of tasks.values()) {
    const oldest = steps[steps.length - 1] as LogEvent;
    if (oldest.status !== 'pending_approval')
      unfinished.set(`${oldest.appId}\n${oldest.userId}`, { appId: oldest.appId, userId: oldest.userId });
  }
  const reads = await Promise.all(
    [...unfinished.values()].map(({ appId, userId }) =>
      log.query({ ...filter, appId, userId }, { limit: LOG_PAGE_MAX, cursor: eventCursor(after) }),
    ),
  );
  const oldestPulled = new Map<string, string>();
  for (const event of reads.flatMap((read) => read.items)) {
    const steps = tasks.get(event.taskId);
    if (!steps) continue;
    steps.push(event);
    oldestPulled.set(event.taskId, event.id);
  }
  return oldestPulled;
}
