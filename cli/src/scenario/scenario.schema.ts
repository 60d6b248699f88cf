import { z } from 'zod';
import {
  connectorIdSchema,
  customParameterSchema,
  dialectSchema,
  onDeleteSchema,
  onSuspendSchema,
} from '../../../shared/src/types/app.schema.ts';
import { createUserInputSchema, patchUserInputSchema } from '../../../shared/src/types/directory.schema.ts';
import { LOG_STATUSES } from '../../../shared/src/types/log-types.ts';
import { faultsInputSchema } from '../../../shared/src/types/target-faults.schema.ts';
import { appUserStateSchema, taskActionSchema } from '../../../shared/src/types/task.schema.ts';

const key = z.string().trim().min(1).max(200);

const targetSchema = z.union([
  z.strictObject({
    builtin: z
      .strictObject({
        name: key.optional(),
        /** Calendly's rule: users carry only userName, displayName, active, externalId. */
        strictAttributes: z.boolean().default(true),
        seatLimit: z.number().int().min(0).nullable().default(null),
        faults: faultsInputSchema.optional(),
      })
      .describe('An organization of the built-in Calendly-like target, made fresh for the run'),
  }),
  z.strictObject({
    external: z
      .strictObject({
        scimUrl: z.url({ protocol: /^https?$/ }),
        token: z.string().min(1).optional(),
        /** Name of an environment variable holding the token (a CI secret). */
        tokenEnv: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .optional(),
      })
      .refine(
        (t) => (t.token === undefined) !== (t.tokenEnv === undefined),
        'give token or tokenEnv, not both',
      )
      .describe('Any SCIM 2.0 server: its base URL and bearer token'),
  }),
]);

const appSchema = z.strictObject({
  name: key,
  connector: connectorIdSchema.default('calendly'),
  dialect: dialectSchema.default('onelogin'),
  parameters: z
    .strictObject({
      scimUsername: z.enum(['email', 'username']).default('email'),
      custom: z.array(customParameterSchema).default([]),
    })
    .default({ scimUsername: 'email', custom: [] }),
  approvals: z
    .strictObject({ create: z.boolean(), update: z.boolean(), delete: z.boolean() })
    .default({ create: true, update: true, delete: true }),
  onDelete: onDeleteSchema.default('suspend'),
  onSuspend: onSuspendSchema.default('suspend'),
  concurrency: z.number().int().min(1).max(100).optional(),
  rateLimitPerSecond: z.number().int().min(1).max(10_000).nullable().optional(),
});

const inlineUserSchema = createUserInputSchema.extend({ key });
const generatedUsersSchema = z.strictObject({
  generate: z.number().int().min(1).max(100_000),
  /** Keys and emails are `<prefix><i>` and `<prefix><i>@<domain>`, i from 1. */
  prefix: z
    .string()
    .regex(/^[a-z0-9._-]+$/i)
    .default('user'),
  domain: z.string().min(3).default('example.com'),
  department: z.string().max(500).optional(),
});

/** Users by key; `all` is every user of the scenario. */
const usersRef = z.union([z.literal('all'), key, z.array(key).min(1)]);
const appUsers = z.strictObject({ app: key, users: usersRef });

const targetUserExpectation = z.strictObject({
  user: key,
  present: z.boolean().default(true),
  active: z.boolean().optional(),
  invitation: z.enum(['pending', 'accepted']).optional(),
  /** SCIM attribute paths (`displayName`, `name.givenName`) and their expected values. */
  attributes: z.record(z.string(), z.unknown()).optional(),
});

const expectationSchema = z
  .strictObject({
    'target-users': z
      .strictObject({
        count: z.number().int().min(0).optional(),
        users: z.array(targetUserExpectation).optional(),
      })
      .optional(),
    'app-users': z
      .strictObject({
        app: key,
        counts: z.partialRecord(appUserStateSchema, z.number().int().min(0)).optional(),
        users: z.array(z.strictObject({ user: key, state: appUserStateSchema })).optional(),
      })
      .optional(),
    log: z
      .strictObject({
        app: key.optional(),
        user: key.optional(),
        action: taskActionSchema.optional(),
        status: z.enum(LOG_STATUSES).optional(),
        atLeast: z.number().int().min(0).optional(),
        exactly: z.number().int().min(0).optional(),
      })
      .optional(),
  })
  .refine((e) => Object.keys(e).length > 0, 'says nothing to expect');

const STEP_SCHEMAS = {
  assign: appUsers,
  unassign: appUsers,
  approve: appUsers,
  'approve-all': z.strictObject({ app: key }),
  deny: appUsers.extend({ reason: z.string().max(1000).optional() }),
  update: z.strictObject({ users: usersRef, set: patchUserInputSchema }),
  suspend: z.strictObject({ users: usersRef }),
  reactivate: z.strictObject({ users: usersRef }),
  delete: z.strictObject({ users: usersRef }),
  'reapply-mappings': z.strictObject({ app: key }),
  'set-faults': faultsInputSchema,
  'wait-idle': z.strictObject({
    app: key.optional(),
    /** Seconds. */
    timeout: z.number().min(1).max(3600).default(120),
  }),
  expect: expectationSchema,
} as const;

export const STEP_NAMES = Object.keys(STEP_SCHEMAS) as (keyof typeof STEP_SCHEMAS)[];

/** One step: an object with exactly one of the step names as its key. */
const stepSchema = z.union(
  STEP_NAMES.map((name) => z.strictObject({ [name]: STEP_SCHEMAS[name] })) as unknown as [
    z.ZodType<StepShape>,
    ...z.ZodType<StepShape>[],
  ],
);

type StepShape = {
  [K in keyof typeof STEP_SCHEMAS]: { [P in K]: z.output<(typeof STEP_SCHEMAS)[K]> };
}[keyof typeof STEP_SCHEMAS];

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    description: z.string().optional(),
    target: targetSchema,
    apps: z.array(appSchema).min(1),
    users: z.array(z.union([inlineUserSchema, generatedUsersSchema])).default([]),
    steps: z.array(stepSchema).min(1),
  })
  .describe('A provisim scenario: a target, apps, directory users, steps and expectations');

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type ScenarioFaults = z.infer<typeof faultsInputSchema>;

/** The scenario schema as JSON Schema (draft 2020-12), for editors and other tools. */
export const scenarioJsonSchema = () =>
  z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
