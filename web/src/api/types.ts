// Types of the provisim REST API and the built-in target's management API, as in design/api.md.
// Where shared/ declares the same shape, it is taken from there (types only: the schemas' zod stays
// out of the bundle); types/log-types.ts is plain data with no imports, so its lists come along as values.

import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/src/errors/error-codes.ts';
import type { CustomParameter } from '../../../shared/src/mapping/scim-user.ts';
import type {
  AppView,
  connectorIdSchema,
  dialectSchema,
  emptyGroupsSchema,
  onDeleteSchema,
  onSuspendSchema,
  parametersInputSchema,
} from '../../../shared/src/types/app.schema.ts';
import type { AppUserState } from '../../../shared/src/types/app-user-states.ts';
import type { Role, User, userStatusSchema } from '../../../shared/src/types/directory.schema.ts';
import type { LogStatus, TaskAction } from '../../../shared/src/types/log-types.ts';
import type {
  Faults,
  JournalEntry,
  OrgView,
  OutOfBandChange,
  TargetGroupView,
  TargetUserView,
} from '../../../shared/src/types/target-api.ts';
import type {
  AppUser,
  AppUserRow,
  appUserDetailSchema,
  ScimMethod,
  TaskStatus,
  TaskView,
} from '../../../shared/src/types/task.schema.ts';

export type {
  LogEvent,
  LogFilter as LogFilters,
} from '../../../shared/src/types/log-types.ts';
export { LOG_STATUSES, TASK_ACTIONS } from '../../../shared/src/types/log-types.ts';
export type {
  AppUser,
  AppUserRow,
  AppUserState,
  CustomParameter,
  LogStatus,
  Role,
  ScimMethod,
  TaskAction,
  TaskStatus,
};

export type ApiErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

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

export type ConnectorId = z.infer<typeof connectorIdSchema>;

export type Connector = { id: ConnectorId; name: string; customAttributes: boolean };

export type Dialect = z.infer<typeof dialectSchema>;
export const DIALECTS = ['onelogin', 'okta', 'entra', 'rfc'] as const satisfies readonly Dialect[];

export type App = AppView;
export type ApiConnection = App['configuration']['apiConnection'];
export type ScimUsernameSource = NonNullable<App['parameters']['scimUsername']>;

export type OnDelete = z.infer<typeof onDeleteSchema>;
export type OnSuspend = z.infer<typeof onSuspendSchema>;
export type EmptyGroups = z.infer<typeof emptyGroupsSchema>;

export type Provisioning = App['provisioning'];

export type ConfigurationInput = { scimBaseUrl: string; scimBearerToken?: string; dialect?: Dialect };

export type ParametersInput = z.infer<typeof parametersInputSchema>;

export { APP_USER_STATES } from '../../../shared/src/types/app-user-states.ts';

/** One app user with the SCIM resource and groups the app would push for it now. */
export type AppUserDetail = z.infer<typeof appUserDetailSchema>;

export type RoleRef = AppUserRow['roles'][number];

export type Task = TaskView;

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
