import { z } from 'zod';

/**
 * Entra's accidental-deletion threshold: when more than `threshold` deletes or suspends of one app would
 * be queued without approval within `windowSeconds`, the app holds them until an admin allows them.
 */
export const deletionSafetySchema = z.strictObject({
  enabled: z.boolean(),
  threshold: z.number().int().min(0).max(1_000_000),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3600),
});
export type DeletionSafety = z.infer<typeof deletionSafetySchema>;

/** What the app record keeps while deprovisions are held. */
export const deletionHoldRecordSchema = z.object({ since: z.string() });

/** The hold as the API shows it: how many deprovisions wait for Allow. */
export const deletionHoldViewSchema = z.object({ since: z.string(), count: z.number().int() });

export const deletionHoldDecisionSchema = z.strictObject({
  /** The number of held deprovisions the admin saw; a different number now answers 409. */
  count: z.number().int().min(0),
});
