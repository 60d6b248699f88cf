import { z } from 'zod';
import { taskActionSchema } from '../../../../shared/src/types/task.schema.ts';

export const PLAN_KINDS = ['approve-all', 'reapply'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** Items a plan answers in full; the counts and the plan id always cover every item. */
export const PLAN_ITEMS_SHOWN = 200;

export const planParamsSchema = z.object({
  appId: z.string().min(1).max(100),
  kind: z.enum(PLAN_KINDS),
});

export const applyPlanInputSchema = z.strictObject({
  planId: z.string().regex(/^[0-9a-f]{64}$/, 'must be the planId of a plan this API answered'),
});

const changeSchema = z.object({ attribute: z.string(), from: z.unknown(), to: z.unknown() });

export const planItemSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  action: taskActionSchema,
  /** The pending task a bulk approval decides; absent for reapply (its tasks are made when it applies). */
  taskId: z.string().optional(),
  changes: z.array(changeSchema),
});
export type PlanItem = z.infer<typeof planItemSchema>;

export const bulkPlanSchema = z.object({
  kind: z.enum(PLAN_KINDS),
  /** Names exactly these items; applying with it fails with 409 plan_changed once they differ. */
  planId: z.string(),
  total: z.number().int(),
  counts: z.object({ creates: z.number().int(), updates: z.number().int(), removals: z.number().int() }),
  items: z.array(planItemSchema).describe(`The first ${PLAN_ITEMS_SHOWN} items by user`),
  truncated: z.boolean(),
});
export type BulkPlan = z.infer<typeof bulkPlanSchema>;

export const applyResultSchema = z.object({
  kind: z.enum(PLAN_KINDS),
  planId: z.string(),
  /** Tasks approved (approve-all), or pushes queued without approval (reapply). */
  queued: z.number().int(),
  /** Reapply only: tasks that now wait for approval. */
  pending: z.number().int(),
});
export type ApplyResult = z.infer<typeof applyResultSchema>;
