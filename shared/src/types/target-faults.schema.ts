import { z } from 'zod';

/** The built-in target's fault controls (`PUT /target-api/orgs/:id/faults`, a scenario's `set-faults`): a control left out is off. */
export const faultsInputSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  rateLimit: z
    .strictObject({ perSecond: z.number().int().min(1).max(100_000) })
    .nullable()
    .optional(),
  failNext: z
    .array(
      z.strictObject({
        status: z.number().int().min(400).max(599),
        count: z.number().int().min(1).max(1000),
      }),
    )
    .max(20)
    .optional(),
});
