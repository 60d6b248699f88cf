// Types of the provisim REST API and the built-in target's management API, as in design/api.md.

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

export type Page<T> = { items: T[]; nextCursor: string | null };

export type UserStatus = 'active' | 'suspended';

export type DirectoryUser = {
  id: string;
  firstname: string;
  lastname: string;
  email: string;
  username: string;
  department: string | null;
  title: string | null;
  custom: Record<string, string>;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
};

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

export type CustomParameter = { name: string; source: string; target: string };

export type ScimUsernameSource = 'email' | 'username';

export type OnDelete = 'delete' | 'suspend' | 'none';
export type OnSuspend = 'suspend' | 'none';

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
  parameters: { scimUsername: ScimUsernameSource | null; custom: CustomParameter[] };
  provisioning: Provisioning;
  counts: { assigned: number; pending: number; provisioned: number; failed: number };
};

export type ConfigurationInput = { scimBaseUrl: string; scimBearerToken?: string; dialect?: Dialect };

export type ParametersInput = { scimUsername: ScimUsernameSource | null; custom?: CustomParameter[] };

export const APP_USER_STATES = [
  'pending',
  'queued',
  'provisioned',
  'suspended',
  'deprovisioned',
  'failed',
  'denied',
] as const;
export type AppUserState = (typeof APP_USER_STATES)[number];

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

export const TASK_ACTIONS = ['create', 'update', 'suspend', 'reactivate', 'delete'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export type TaskStatus = 'pending' | 'approved' | 'denied' | 'superseded' | 'queued' | 'succeeded' | 'failed';

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
  preview: unknown;
};

export type ReapplyResult = { queued: number; pending: number; unchanged: number };

export const LOG_STATUSES = [
  'pending_approval',
  'approved',
  'denied',
  'queued',
  'succeeded',
  'failed',
  'retrying',
  'skipped',
] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

export type LogEvent = {
  id: string;
  at: string;
  appId: string;
  userId: string;
  taskId: string;
  action: TaskAction;
  status: LogStatus;
  attempt?: number;
  actor?: string;
  message: string;
  request?: { method: string; url: string; body?: unknown };
  response?: { status: number; body?: unknown };
  durationMs?: number;
};

export type LogFilters = {
  appId?: string;
  userId?: string;
  action?: TaskAction;
  status?: LogStatus;
  since?: string;
  until?: string;
};

export type Health = { status: string; redis: string; workers: number };

// The built-in target (Calendly-like) management API.

export type Org = {
  id: string;
  name: string;
  scimBaseUrl: string;
  sso: { configured: boolean; enforced: boolean };
  scimEnabled: boolean;
  strictAttributes: boolean;
  seatLimit: number | null;
  token?: { createdAt: string; expiresAt: string } | null;
};

export type OrgInput = { name: string; strictAttributes?: boolean; seatLimit?: number | null };

export type IssuedToken = { token: string; expiresAt: string };

export type OrgUser = {
  scimId: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  invitation: 'pending' | 'accepted';
  email: string | null;
  pendingEmail: string | null;
  createdAt: string;
};

export type LoginResult = { userName: string; scimId: string };

export type Faults = {
  latencyMs: number;
  errorRate: number;
  rateLimit: { perSecond: number } | null;
  failNext: { status: number; count: number }[];
};

export type JournalEntry = { at: string; method: string; path: string; body: unknown; status: number };
