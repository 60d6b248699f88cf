// Types of the provisim REST API and the built-in target's management API, as in design/api.md.
// Where shared/ declares the same shape, it is taken from there (types only: the schemas' zod stays
// out of the bundle); log-types.ts is plain data with no imports, so its lists come along as values.

import type { z } from 'zod';
import type { CustomParameter } from '../../../shared/src/mapping/scim-user.ts';
import type { LogStatus, TaskAction } from '../../../shared/src/store/provisioning-log/log-types.ts';
import type {
  onDeleteSchema,
  onSuspendSchema,
  parametersInputSchema,
} from '../../../shared/src/types/app.schema.ts';
import type { AppUserState } from '../../../shared/src/types/app-user-states.ts';
import type { User, userStatusSchema } from '../../../shared/src/types/directory.schema.ts';
import type {
  Faults,
  JournalEntry,
  OrgView,
  OutOfBandChange,
  TargetGroupView,
  TargetUserView,
} from '../../../shared/src/types/target-api.ts';
import type { ScimMethod, TaskStatus } from '../../../shared/src/types/task.schema.ts';

export type {
  LogEvent,
  LogFilter as LogFilters,
} from '../../../shared/src/store/provisioning-log/log-types.ts';
export { LOG_STATUSES, TASK_ACTIONS } from '../../../shared/src/store/provisioning-log/log-types.ts';
export type { AppUserState, CustomParameter, LogStatus, ScimMethod, TaskAction, TaskStatus };

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

export type Page<T> = { items: T[]; nextCursor: string | null };

export type UserStatus = z.infer<typeof userStatusSchema>;

export type DirectoryUser = User;

export type UserInput = {
  firstname: string;
  lastname: string;
  email: string;
  username?: string;
  department?: string;
  title?: string;
  custom?: Record<string, string>;
};

export type Role = { id: string; name: string; appIds?: string[]; userIds?: string[] };

export type ConnectorId = 'calendly' | 'scim-generic';

export type Connector = { id: ConnectorId; name: string; customAttributes: boolean };

export const DIALECTS = ['onelogin', 'okta', 'entra', 'rfc'] as const;
export type Dialect = (typeof DIALECTS)[number];

export type ApiConnection = 'disabled' | 'enabled' | 'error';

export type ScimUsernameSource = 'email' | 'username';

export type OnDelete = z.infer<typeof onDeleteSchema>;
export type OnSuspend = z.infer<typeof onSuspendSchema>;

export type Provisioning = {
  enabled: boolean;
  concurrency?: number;
  rateLimitPerSecond?: number | null;
  requireApproval: { create: boolean; update: boolean; delete: boolean };
  onDelete: OnDelete;
  onSuspend: OnSuspend;
};

export type App = {
  id: string;
  connector: ConnectorId;
  name: string;
  configuration: {
    scimBaseUrl: string | null;
    scimBearerToken: string | null;
    dialect: Dialect;
    apiConnection: ApiConnection;
    apiConnectionError?: string;
  };
  quarantine: null | { reason: string; since: string };
  parameters: {
    scimUsername: ScimUsernameSource | null;
    custom: CustomParameter[];
    scimJsonTemplate?: string | null;
  };
  provisioning: Provisioning;
  counts: { assigned: number; pending: number; provisioned: number; failed: number };
};

export type ConfigurationInput = { scimBaseUrl: string; scimBearerToken?: string; dialect?: Dialect };

export type ParametersInput = z.infer<typeof parametersInputSchema>;

export { APP_USER_STATES } from '../../../shared/src/types/app-user-states.ts';

export type AppUser = {
  userId: string;
  email: string;
  state: AppUserState;
  pendingTaskId: string | null;
  externalId: string | null;
  assigned?: boolean;
  lastError: string | null;
  updatedAt: string;
  desired?: unknown;
};

export type RoleRef = { id: string; name: string };

/** A row of App > Users: the app user, its name, and where its access comes from. */
export type AppUserRow = AppUser & {
  name: string | null;
  /** Assigned to the app directly (App > Users or the user's page), not only through roles. */
  direct: boolean;
  /** The roles that give the user this app. */
  roles: RoleRef[];
};

export type Task = {
  id: string;
  appId: string;
  userId: string;
  action: TaskAction;
  status: TaskStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
  error?: string;
  /** The SCIM request a push would send: `method` to /Users (POST) or /Users/{id}, with `preview` as its body. */
  method: ScimMethod;
  preview: unknown;
};

export type { ScimTemplatePreview } from '../../../shared/src/types/app.schema.ts';
export type {
  ImportAction,
  ImportItem,
  ImportKind,
  ImportPage,
  ImportSummary,
} from '../../../shared/src/types/import.schema.ts';

export type LogSummary = {
  pushes: number;
  outcomes: Partial<Record<LogStatus, number>>;
  scannedEvents: number;
  complete: boolean;
};

export type PlanKind = 'approve-all' | 'reapply';

export type AttributeChange = { attribute: string; from: unknown; to: unknown };

export type PlanItem = {
  userId: string;
  email: string;
  name: string | null;
  action: TaskAction;
  taskId?: string;
  changes: AttributeChange[];
};

/** What a bulk change would do; applying it with `planId` does exactly this or answers 409 plan_changed. */
export type BulkPlan = {
  kind: PlanKind;
  planId: string;
  total: number;
  counts: { creates: number; updates: number; removals: number };
  items: PlanItem[];
  truncated: boolean;
};

export type ApplyResult = { kind: PlanKind; planId: string; queued: number; pending: number };

export type Health = { status: string; redis: string; workers: number };

// The built-in target (Calendly-like) management API.

export type {
  Faults,
  JournalEntry,
  OrgView as Org,
  OutOfBandChange,
  TargetGroupView as OrgGroup,
  TargetUserView as OrgUser,
};

export type OrgInput = { name: string; strictAttributes?: boolean; seatLimit?: number | null };

export type IssuedToken = { token: string; expiresAt: string };
