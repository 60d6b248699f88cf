import { z } from 'zod';
import { LOG_STATUSES } from './log-types.ts';
import { taskSchema } from './task.schema.ts';

export const provisionNowInputSchema = z.strictObject({
  /** How long the answer waits for the push to finish; past it the answer is 202 with the steps so far. */
  timeoutMs: z.number().int().min(0).max(120_000).optional(),
});

/** One step of the push as the provisioning log recorded it (lookup, create or update, groups, outcome). */
export const provisionStepSchema = z.object({
  at: z.string(),
  status: z.enum(LOG_STATUSES),
  message: z.string(),
  request: z.object({ method: z.string(), url: z.string(), body: z.unknown().optional() }).optional(),
  response: z.object({ status: z.number(), body: z.unknown().optional() }).optional(),
  durationMs: z.number().optional(),
});

export const provisionNowResultSchema = z.object({
  /** `unchanged`: the target already holds what the mapping gives; `queued`: still running at the timeout. */
  outcome: z.enum(['succeeded', 'failed', 'superseded', 'unchanged', 'queued']),
  task: taskSchema.nullable(),
  steps: z.array(provisionStepSchema),
});
export type ProvisionNowResult = z.infer<typeof provisionNowResultSchema>;
