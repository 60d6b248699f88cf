import { z } from 'zod';
import { APP_USER_STATES, type AppUserState } from './app-user-states.ts';

export const taskActionSchema = z.enum(['create', 'update', 'suspend', 'reactivate', 'delete']);
export type TaskActionName = z.infer<typeof taskActionSchema>;
export const taskStatusSchema = z.enum([
  'pending',
  'approved',
  'denied',
  'superseded',
  'queued',
  'succeeded',
  'failed',
]);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** Which approval toggle governs a task: directory suspend/reactivate count as updates, deprovisioning as delete. */
export const approvalKindSchema = z.enum(['create', 'update', 'delete']);
export type ApprovalKind = z.infer<typeof approvalKindSchema>;

export const scimResourceSchema = z.looseObject({
  schemas: z.array(z.string()),
  userName: z.string(),
  active: z.boolean(),
});

export type ScimResource = z.infer<typeof scimResourceSchema>;

export const scimMethodSchema = z.enum(['POST', 'PUT', 'PATCH', 'DELETE']);
export type ScimMethod = z.infer<typeof scimMethodSchema>;

/** RFC 7644 §3.5.2 PatchOp message, operation names as the app's dialect spells them. */
export const patchMessageSchema = z.object({
  schemas: z.array(z.string()),
  Operations: z.array(z.object({ op: z.string(), path: z.string(), value: z.unknown().optional() })),
});

/** A task as the API shows it. */
export const taskSchema = z.object({
  id: z.string(),
  appId: z.string(),
  userId: z.string(),
  action: taskActionSchema,
  status: taskStatusSchema,
  approvalKind: approvalKindSchema,
  createdAt: z.string(),
  decidedAt: z.string().optional(),
  decidedBy: z.string().optional(),
  reason: z.string().optional(),
  method: scimMethodSchema.describe(
    'Method of the SCIM request the push would send: POST to /Users, the others to /Users/{id}',
  ),
  preview: z
    .union([scimResourceSchema, patchMessageSchema])
    .nullable()
    .describe(
      'The SCIM body that would be sent: the resource (POST, PUT), a PatchOp message (PATCH), null (DELETE)',
    ),
  groups: z.array(z.string()),
  error: z.string().optional(),
  /** Held by the app's deletion safety: waits for Allow (or its own approval). */
  held: z.boolean().optional(),
});
export type TaskView = z.infer<typeof taskSchema>;

/** A task as the store keeps it: also the resource the target should hold once it is pushed. */
export type Task = TaskView & { resource: ScimResource | null };

export const appUserStateSchema = z.enum(APP_USER_STATES);
export { APP_USER_STATES, type AppUserState };

export const appUserSchema = z.object({
  userId: z.string(),
  email: z.string(),
  state: appUserStateSchema,
  assigned: z.boolean(),
  pendingTaskId: z.string().nullable(),
  externalId: z.string().nullable(),
  lastError: z.string().nullable(),
  updatedAt: z.string(),
});
export type AppUser = z.infer<typeof appUserSchema>;

/** App > Users' row: the app user, whose name it is, and where the access comes from (direct, roles). */
export const appUserRowSchema = appUserSchema.extend({
  name: z.string().nullable(),
  direct: z.boolean(),
  roles: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type AppUserRow = z.infer<typeof appUserRowSchema>;

export const appUserDetailSchema = appUserSchema.extend({
  desired: scimResourceSchema.nullable(),
  desiredGroups: z.array(z.string()),
});

export const appUsersQuerySchema = z.object({
  state: appUserStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
});
export const tasksQuerySchema = z.object({
  status: taskStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
});
export const assignInputSchema = z.strictObject({ userId: z.string().min(1).max(100) });
export const denyInputSchema = z.strictObject({ reason: z.string().max(1000).optional() });
export const idleQuerySchema = z.object({
  timeoutMs: z.coerce.number().int().min(0).max(600_000).default(30_000),
});

/** The most users one push job carries (see PushQueues.enqueue). */
export const PUSH_BATCH_MAX = 50;

/**
 * A push job carries keys, and the processor reloads the state and reconciles each user in turn: one user
 * (deduplicated per user), or a batch of users approved together. `attemptsBefore`: attempts a batch
 * member's push spent before it was retried on its own; `rateLimited` is the push's own bookkeeping of
 * the waits its target's 429 answers imposed (see worker/src/processors/rate-limit-wait.ts). A job of
 * the earlier shape (`userId`) still reads as a job of one user.
 */
export const pushJobSchema = z.preprocess(
  (data) =>
    data && typeof data === 'object' && 'userId' in data && !('userIds' in data)
      ? { ...data, userIds: [(data as { userId: unknown }).userId] }
      : data,
  z.object({
    appId: z.string().min(1),
    userIds: z.array(z.string().min(1)).min(1).max(PUSH_BATCH_MAX),
    attemptsBefore: z.number().int().min(0).optional(),
    rateLimited: z.object({ count: z.number().int().min(0), waitedMs: z.number().int().min(0) }).optional(),
  }),
);
export type PushJob = z.output<typeof pushJobSchema>;
