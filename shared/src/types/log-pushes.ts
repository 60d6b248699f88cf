import type { LogEvent, LogStatus, TaskAction } from './log-types.ts';

/** Who a logged user is, as the directory knows them now; null once they are no longer in it. */
export interface LogUser {
  name: string;
  email: string;
}

/** A log item with its user's name and email looked up (`user` null: no longer in the directory). */
export type WithLogUser<T> = T & { user?: LogUser | null };

/** One push as an admin reads it: every event of one task (decision, lookup, write, outcome) in one row. */
export interface LogPush {
  taskId: string;
  appId: string;
  userId: string;
  action: TaskAction;
  /** The status of the task's newest event: where the push stands or how it ended. */
  outcome: LogStatus;
  /** The newest event's time and message. */
  at: string;
  message: string;
  actor?: string;
  /** Tries made so far (the highest attempt logged); 0 before the first. */
  attempts: number;
  /** The SCIM write (POST, PUT, PATCH, DELETE) of the newest try, if it got that far. */
  write?: string;
  /** From the first request of the first try to the newest event; null before any try. */
  durationMs: number | null;
  /** The task's events, oldest first. */
  steps: LogEvent[];
}

/** Groups a page of events (newest first) into pushes, newest first, by task. */
export function groupPushes(events: readonly LogEvent[]): LogPush[] {
  const byTask = new Map<string, LogEvent[]>();
  for (const event of events) {
    const steps = byTask.get(event.taskId);
    if (steps) steps.push(event);
    else byTask.set(event.taskId, [event]);
  }
  return [...byTask.values()].map((newestFirst) => toPush([...newestFirst].reverse()));
}

function toPush(steps: LogEvent[]): LogPush {
  const newest = steps[steps.length - 1] as LogEvent;
  const tries = steps.filter((step) => step.attempt !== undefined);
  const firstTry = tries[0];
  const write = [...steps].reverse().find((step) => step.request && step.request.method !== 'GET');
  return {
    taskId: newest.taskId,
    appId: newest.appId,
    userId: newest.userId,
    action: newest.action,
    outcome: newest.status,
    at: newest.at,
    message: newest.message,
    ...(newest.actor ? { actor: newest.actor } : {}),
    attempts: Math.max(0, ...tries.map((step) => step.attempt ?? 0)),
    ...(write?.request ? { write: write.request.method } : {}),
    durationMs: firstTry
      ? Date.parse(newest.at) - (Date.parse(firstTry.at) - (firstTry.durationMs ?? 0))
      : null,
    steps,
  };
}

/** How many pushes stand at or ended in each status. */
export function countOutcomes(pushes: readonly LogPush[]): Partial<Record<LogStatus, number>> {
  const counts: Partial<Record<LogStatus, number>> = {};
  for (const push of pushes) counts[push.outcome] = (counts[push.outcome] ?? 0) + 1;
  return counts;
}
