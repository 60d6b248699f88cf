import { z } from 'zod';

const ATTRIBUTE = /^(firstname|lastname|email|username|department|title|status|custom\.[A-Za-z0-9_.-]+)$/;
const attribute = z
  .string()
  .regex(
    ATTRIBUTE,
    'must be firstname, lastname, email, username, department, title, status or custom.<key>',
  );
const text = z.string().trim().min(1).max(500);

/** One condition on a directory user's attribute; text comparisons ignore case. */
export const ruleConditionSchema = z.discriminatedUnion('operator', [
  z.strictObject({ attribute, operator: z.literal('equals'), value: text }),
  z.strictObject({ attribute, operator: z.literal('contains'), value: text }),
  z.strictObject({ attribute, operator: z.literal('in'), value: z.array(text).min(1).max(100) }),
  z.strictObject({ attribute, operator: z.literal('exists') }),
]);
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

const values = z.array(z.string().trim().min(1).max(200)).max(50);

/** What a matching rule gives the user on the app: target groups and `entitlements` values. */
export const ruleActionsSchema = z
  .strictObject({ groups: values.default([]), entitlements: values.default([]) })
  .refine(
    (set) => set.groups.length + set.entitlements.length > 0,
    'must set at least one group or entitlement',
  );

export const ruleInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
  /** Every condition must hold (AND). */
  conditions: z.array(ruleConditionSchema).min(1).max(20),
  set: ruleActionsSchema,
  /** When this rule matches, the rules after it are not evaluated for the user. */
  stop: z.boolean().default(false),
});
export type RuleInput = z.infer<typeof ruleInputSchema>;

export const ruleSchema = ruleInputSchema.extend({ id: z.string() });
export type Rule = z.infer<typeof ruleSchema>;

export const ruleOrderInputSchema = z.strictObject({ ruleIds: z.array(z.string().min(1).max(100)).max(200) });
export const rulePreviewInputSchema = z.strictObject({
  conditions: z.array(ruleConditionSchema).min(1).max(20),
});
export const ruleParamsSchema = z.object({
  appId: z.string().min(1).max(100),
  ruleId: z.string().min(1).max(100),
});
export const ruleMatchesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

const reconcileSchema = z.object({ queued: z.number(), pending: z.number(), unchanged: z.number() });
export const ruleChangeSchema = z.object({
  rules: z.array(ruleSchema),
  /** What the change planned for the app's users (update tasks through the approval queue). */
  reconcile: reconcileSchema,
});
export const ruleMatchesSchema = z.object({
  total: z.number().int(),
  items: z.array(z.object({ userId: z.string(), email: z.string(), name: z.string() })),
});

const groupName = z.string().trim().min(1).max(200);

/** Renames a group the app's rules set, on the target and in the rules. */
export const groupRenameInputSchema = z.strictObject({ from: groupName, to: groupName });
export type GroupRenameInput = z.infer<typeof groupRenameInputSchema>;

export const groupRenameSchema = ruleChangeSchema.extend({
  /** false when the target held no group by the old name (nothing was pushed to it yet). */
  renamedOnTarget: z.boolean(),
  /** App users whose recorded groups followed the new name. */
  appUsers: z.number().int(),
});
