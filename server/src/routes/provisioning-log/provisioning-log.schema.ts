import { z } from 'zod';
import { decodeLogCursor } from '../../../../shared/src/store/provisioning-log/log-codec.ts';
import { PUSH_PAGE_MAX } from '../../../../shared/src/store/provisioning-log/log-push-pages.ts';
import {
  LOG_PAGE_MAX,
  LOG_STATUSES,
  TASK_ACTIONS,
} from '../../../../shared/src/store/provisioning-log/provisioning-log.ts';

const id = z.string().min(1).max(256);
const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z',
});

const filterFields = {
  appId: id.optional(),
  userId: id.optional(),
  action: z.enum(TASK_ACTIONS).optional(),
  status: z.enum(LOG_STATUSES).optional(),
  /** Inclusive. */
  since: instant.optional(),
  /** Exclusive. */
  until: instant.optional(),
};

const windowInOrder = (query: { since?: string; until?: string }) =>
  !query.since || !query.until || Date.parse(query.since) < Date.parse(query.until);
const windowError = { path: ['until'], message: 'must be later than since' };

export const provisioningLogQuerySchema = z
  .object({
    ...filterFields,
    limit: z.coerce.number().int().min(1).max(LOG_PAGE_MAX).default(50),
    cursor: z
      .string()
      .refine((cursor) => decodeLogCursor(cursor) !== null, 'is not a cursor this log issued')
      .optional(),
  })
  .refine(windowInOrder, windowError);

export const provisioningLogPushesQuerySchema = z
  .object({
    ...filterFields,
    limit: z.coerce.number().int().min(1).max(PUSH_PAGE_MAX).default(25),
    cursor: z
      .string()
      .refine((cursor) => decodeLogCursor(cursor) !== null, 'is not a cursor this log issued')
      .optional(),
  })
  .refine(windowInOrder, windowError);

export const provisioningLogExportQuerySchema = z
  .object({ ...filterFields, format: z.enum(['csv', 'ndjson']).default('csv') })
  .refine(windowInOrder, windowError);

export const provisioningLogSummaryQuerySchema = z.object(filterFields).refine(windowInOrder, windowError);

export const provisioningLogStreamQuerySchema = z.object({ appId: id.optional() });

const loggedBody = z.unknown().optional();
export const logEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  appId: z.string(),
  userId: z.string(),
  taskId: z.string(),
  action: z.enum(TASK_ACTIONS),
  status: z.enum(LOG_STATUSES),
  attempt: z.number().int().optional(),
  actor: z.string().optional(),
  message: z.string(),
  request: z.object({ method: z.string(), url: z.string(), body: loggedBody }).optional(),
  response: z.object({ status: z.number().int(), body: loggedBody }).optional(),
  durationMs: z.number().optional(),
});

/** The user as the directory knows them now; null when no longer in it. */
const logUserSchema = z.object({ name: z.string(), email: z.string() }).nullable().optional();

export const logPageSchema = z.object({
  items: z.array(logEventSchema.extend({ user: logUserSchema })),
  nextCursor: z.string().nullable(),
});

const logPushSchema = z.object({
  taskId: z.string(),
  appId: z.string(),
  userId: z.string(),
  action: z.enum(TASK_ACTIONS),
  outcome: z.enum(LOG_STATUSES),
  at: z.string(),
  message: z.string(),
  actor: z.string().optional(),
  attempts: z.number().int(),
  write: z.string().optional(),
  durationMs: z.number().nullable(),
  steps: z.array(logEventSchema),
  user: logUserSchema,
});
export const pushPageSchema = z.object({ items: z.array(logPushSchema), nextCursor: z.string().nullable() });
