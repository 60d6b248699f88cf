import { z } from 'zod';
import {
  deletionHoldRecordSchema,
  deletionHoldViewSchema,
  deletionSafetySchema,
} from './deletion-safety.schema.ts';
import { ruleSchema } from './rules.schema.ts';

export const CONNECTORS = [
  { id: 'calendly', name: 'Calendly', customAttributes: false },
  { id: 'scim-generic', name: 'SCIM Provisioner with SAML (SCIM v2 Enterprise)', customAttributes: true },
] as const;

export const connectorIdSchema = z.enum(['calendly', 'scim-generic']);
export const dialectSchema = z.enum(['onelogin', 'okta', 'entra', 'rfc']);
export const onDeleteSchema = z.enum(['delete', 'suspend', 'none']);
export const onSuspendSchema = z.enum(['suspend', 'none']);
export const emptyGroupsSchema = z.enum(['keep', 'delete']);

export const customParameterSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  source: z.string().trim().min(1).max(200),
  target: z.string().trim().min(1).max(300),
});

export const parametersSchema = z.object({
  scimUsername: z.enum(['email', 'username']).nullable(),
  custom: z.array(customParameterSchema),
  /** SCIM Provisioner only: OneLogin's SCIM JSON Template (absent or null: the built-in mapping). */
  scimJsonTemplate: z.string().nullable().optional(),
});

export const requireApprovalSchema = z.strictObject({
  create: z.boolean(),
  update: z.boolean(),
  delete: z.boolean(),
});

export const provisioningSchema = z.strictObject({
  enabled: z.boolean(),
  requireApproval: requireApprovalSchema,
  onDelete: onDeleteSchema,
  onSuspend: onSuspendSchema,
  /** Pushes of this app running at once across all worker processes. */
  concurrency: z.number().int().min(1).max(100),
  /** Optional cap on SCIM pushes per second for this app; null means none. */
  rateLimitPerSecond: z.number().int().min(1).max(10_000).nullable(),
  /** A group on the target that a push leaves with no members: kept (also when absent), or deleted. */
  emptyGroups: emptyGroupsSchema.optional(),
});

const apiConnectionSchema = z.enum(['disabled', 'enabled', 'error']);

/** What the store keeps; the bearer token is never rendered as is. */
export const appRecordSchema = z.object({
  id: z.string(),
  connector: connectorIdSchema,
  name: z.string(),
  createdAt: z.string(),
  configuration: z.object({
    scimBaseUrl: z.string().nullable(),
    scimBearerToken: z.string().nullable(),
    dialect: dialectSchema,
    apiConnection: apiConnectionSchema,
    apiConnectionError: z.string().optional(),
    /** What Enable read of the target's ServiceProviderConfig `patch.supported` (absent: not read). */
    patchSupported: z.boolean().optional(),
  }),
  quarantine: z.object({ reason: z.string(), since: z.string() }).nullable(),
  parameters: parametersSchema,
  provisioning: provisioningSchema,
  /** Accidental-deletion threshold (absent: off). */
  deletionSafety: deletionSafetySchema.optional(),
  /** Set while deprovisions are held by the threshold, until Allow or Reject. */
  deletionHold: deletionHoldRecordSchema.nullable().optional(),
  /** OneLogin's Rules (SCIM Provisioner only): ordered conditions setting groups and entitlements. */
  rules: z.array(ruleSchema).optional(),
});
export type AppRecord = z.infer<typeof appRecordSchema>;

export const appViewSchema = appRecordSchema.extend({
  counts: z.object({
    assigned: z.number(),
    pending: z.number(),
    provisioned: z.number(),
    failed: z.number(),
  }),
  deletionHold: deletionHoldViewSchema.nullable(),
});
export type AppView = z.infer<typeof appViewSchema>;

export const createAppInputSchema = z.strictObject({
  connector: connectorIdSchema,
  name: z.string().trim().min(1).max(200),
});
export const configurationInputSchema = z.strictObject({
  scimBaseUrl: z.url({ protocol: /^https?$/ }).max(2000),
  /** May be left out to keep the stored token (it is only ever shown masked). */
  scimBearerToken: z.string().min(1).max(4000).optional(),
  dialect: dialectSchema.default('onelogin'),
});
export const parametersInputSchema = z.strictObject({
  scimUsername: z.enum(['email', 'username']).nullable(),
  custom: z.array(customParameterSchema).max(100).optional(),
});
export const scimTemplateInputSchema = z.strictObject({
  /** null goes back to the built-in mapping. */
  scimJsonTemplate: z.string().max(20_000).nullable(),
});
export const scimTemplatePreviewInputSchema = z.strictObject({
  userId: z.string().min(1).max(100),
  /** A draft to preview; left out, the saved template (or the built-in mapping) is used. */
  scimJsonTemplate: z.string().max(20_000).nullable().optional(),
});
export const scimTemplatePreviewSchema = z.object({
  userId: z.string(),
  resource: z.record(z.string(), z.unknown()),
  groups: z.array(z.string()),
  template: z.enum(['saved', 'draft', 'none']),
});
export type ScimTemplatePreview = z.infer<typeof scimTemplatePreviewSchema>;
export const provisioningInputSchema = provisioningSchema.extend({
  concurrency: provisioningSchema.shape.concurrency.optional(),
  rateLimitPerSecond: provisioningSchema.shape.rateLimitPerSecond.optional(),
});
