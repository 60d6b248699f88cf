export const LOG_STATUSES = [
  'pending_approval',
  'approved',
  'denied',
  'queued',
  'succeeded',
  'failed',
  'retrying',
  'skipped',
  // A push's read step (a lookup) that answered; appended last, as the stored events hold each status's index.
  'looked_up',
] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

export const TASK_ACTIONS = ['create', 'update', 'suspend', 'reactivate', 'delete'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** What was sent to the target; headers are never part of it. */
export interface LoggedRequest {
  method: string;
  url: string;
  body?: unknown;
}

export interface LoggedResponse {
  status: number;
  body?: unknown;
}

export interface NewLogEvent {
  appId: string;
  userId: string;
  taskId: string;
  action: TaskAction;
  status: LogStatus;
  attempt?: number;
  actor?: string;
  message: string;
  request?: LoggedRequest;
  response?: LoggedResponse;
  durationMs?: number;
}

export interface LogEvent extends NewLogEvent {
  id: string;
  /** ISO 8601, UTC, millisecond precision; the time Redis stored the event. */
  at: string;
}

/** `since` is inclusive, `until` exclusive. */
export interface LogFilter {
  appId?: string;
  userId?: string;
  action?: TaskAction;
  status?: LogStatus;
  since?: string;
  until?: string;
}

export interface LogRetention {
  maxCount: number;
  maxAgeMs: number;
}

export interface LogPage {
  items: LogEvent[];
  nextCursor: string | null;
}
