import { z } from 'zod';
import { listQuerySchema } from './directory.schema.ts';

/** matched / drifted: a target account whose userName is a directory user's SCIM username (drifted: it differs from the mapping). */
export const importKindSchema = z.enum(['matched', 'drifted', 'unmatched_target', 'unmatched_directory']);
export type ImportKind = z.infer<typeof importKindSchema>;

export const importActionSchema = z.enum(['link', 'reconcile', 'leave']);
export type ImportAction = z.infer<typeof importActionSchema>;

export const attributeDiffSchema = z.object({
  path: z.string(),
  expected: z.unknown(),
  actual: z.unknown(),
});

export const importItemSchema = z.object({
  /** Stable within one import: `t.<target id>` for a target account, `d.<user id>` for a directory user. */
  key: z.string(),
  kind: importKindSchema,
  userName: z.string(),
  targetId: z.string().nullable(),
  userId: z.string().nullable(),
  /** The directory user is assigned to the app. */
  assigned: z.boolean(),
  /** The app user already records this target account as its own. */
  linked: z.boolean(),
  /** The account's `active` on the target (null: not on the target). */
  active: z.boolean().nullable(),
  diffs: z.array(attributeDiffSchema),
  decision: z
    .object({
      action: importActionSchema,
      at: z.string(),
      /** What came of it: linked, left, or the task it made (pending approval, queued) or unchanged. */
      outcome: z.enum(['linked', 'left', 'pending', 'queued', 'unchanged']),
      taskId: z.string().nullable(),
    })
    .nullable(),
});
export type ImportItem = z.infer<typeof importItemSchema>;

export const importSummarySchema = z.object({
  appId: z.string(),
  importedAt: z.string(),
  totals: z.object({
    targetAccounts: z.number(),
    /** The target's `totalResults`: more than `targetAccounts` when it would not page further (it ignores `startIndex`). */
    targetReportedTotal: z.number().nullable(),
    matched: z.number(),
    drifted: z.number(),
    unmatchedTarget: z.number(),
    unmatchedDirectory: z.number(),
  }),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const importPageSchema = importSummarySchema.extend({
  items: z.array(importItemSchema),
  nextCursor: z.string().nullable(),
});
export type ImportPage = z.infer<typeof importPageSchema>;

export const importQuerySchema = listQuerySchema.extend({ kind: importKindSchema.optional() });
export const importItemParamsSchema = z.object({
  appId: z.string().min(1).max(100),
  key: z.string().regex(/^[td]\.[^/]{1,200}$/, 'is not an item key this import returned'),
});
export const importDecisionInputSchema = z.strictObject({ action: importActionSchema });
