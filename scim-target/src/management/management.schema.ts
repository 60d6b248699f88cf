import { z } from 'zod';
import { faultsInputSchema } from '../../../shared/src/types/target-faults.schema.ts';

const seatLimit = z.number().int().min(0).max(1_000_000).nullable();

export const orgIdParams = z.object({ orgId: z.string().min(1).max(100) });
export const userParams = orgIdParams.extend({ scimId: z.string().min(1).max(100) });

export const createOrgBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  strictAttributes: z.boolean().default(true),
  seatLimit: seatLimit.default(null),
});

export const settingsBody = z.strictObject({
  strictAttributes: z.boolean().optional(),
  seatLimit: seatLimit.optional(),
});
export const ssoBody = z.strictObject({ configured: z.boolean(), enforced: z.boolean() });
export const scimBody = z.strictObject({ enabled: z.boolean() });
/** Fractions of a day are allowed so that a test can watch a token expire. */
export const tokenBody = z.strictObject({ lifetimeDays: z.number().positive().max(3650) });
export const loginBody = z.strictObject({ userName: z.string().min(1).max(500) });

/** The faults as the target keeps them: every control, those left out off. */
export const faultsBody = faultsInputSchema.transform(
  ({ latencyMs = 0, errorRate = 0, rateLimit = null, failNext = [] }) => ({
    latencyMs,
    errorRate,
    rateLimit,
    failNext,
  }),
);

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().regex(/^\d+$/, 'is not a cursor this API returned').transform(Number).optional(),
});

/** People of an org; `query` keeps those whose userName contains it, ignoring case. */
export const orgUsersQuery = listQuery.extend({ query: z.string().trim().max(200).optional() });

/** Simulation: what an out-of-band edit in the target's own screens may change on a person. */
export const outOfBandChangeBody = z
  .strictObject({
    displayName: z.string().trim().min(1).max(500).optional(),
    userName: z.string().trim().min(1).max(500).optional(),
    active: z.boolean().optional(),
  })
  .refine((change) => Object.keys(change).length > 0, 'name at least one of displayName, userName, active');
