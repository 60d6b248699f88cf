import type { LogPush, WithLogUser } from '../../../shared/src/types/log-pushes.ts';
import type { LoginAttempt } from '../../../shared/src/types/target-api.ts';
import { everyItem, MAX_PAGE } from './every-item.ts';
import { request, withQuery } from './http.ts';
import type {
  App,
  ApplyResult,
  AppUser,
  AppUserRow,
  AppUserState,
  BulkPlan,
  ConfigurationInput,
  Connector,
  ConnectorId,
  DirectoryUser,
  Faults,
  Health,
  ImportAction,
  ImportItem,
  ImportKind,
  ImportPage,
  ImportSummary,
  IssuedToken,
  JournalEntry,
  LogEvent,
  LogFilters,
  LogSummary,
  Org,
  OrgGroup,
  OrgInput,
  OrgUser,
  OutOfBandChange,
  Page,
  ParametersInput,
  PlanKind,
  Provisioning,
  Role,
  ScimTemplatePreview,
  Task,
  TaskStatus,
  UserInput,
} from './types.ts';

const enc = encodeURIComponent;

type PageQuery = { limit?: number; cursor?: string | null };

/** The whole of a list the console shows at once and pages on screen (apps, roles: made by hand). */
const whole = <T>(path: string) =>
  everyItem((cursor) => request<Page<T>>('GET', withQuery(path, { limit: MAX_PAGE, cursor })));

export const api = {
  health: () => request<Health>('GET', '/api/health'),
  checkToken: (token: string) =>
    request<Page<App>>('GET', withQuery('/api/apps', { limit: 1 }), undefined, { token }),

  users: {
    list: (query: PageQuery & { query?: string }) =>
      request<Page<DirectoryUser>>('GET', withQuery('/api/users', query)),
    get: (userId: string) => request<DirectoryUser>('GET', `/api/users/${enc(userId)}`),
    apps: (userId: string) =>
      request<{ items: (AppUser & { appId: string })[] }>('GET', `/api/users/${enc(userId)}/apps`),
    create: (input: UserInput) => request<DirectoryUser>('POST', '/api/users', input),
    update: (userId: string, input: Partial<UserInput>) =>
      request<DirectoryUser>('PATCH', `/api/users/${enc(userId)}`, input),
    suspend: (userId: string) => request<DirectoryUser>('POST', `/api/users/${enc(userId)}/suspend`),
    reactivate: (userId: string) => request<DirectoryUser>('POST', `/api/users/${enc(userId)}/reactivate`),
    remove: (userId: string) => request<void>('DELETE', `/api/users/${enc(userId)}`),
  },

  roles: {
    list: () => whole<Role>('/api/roles'),
    get: (roleId: string) => request<Role>('GET', `/api/roles/${enc(roleId)}`),
    create: (name: string) => request<Role>('POST', '/api/roles', { name }),
    setApps: (roleId: string, appIds: string[]) =>
      request<Role>('PUT', `/api/roles/${enc(roleId)}/apps`, { appIds }),
    setUsers: (roleId: string, userIds: string[]) =>
      request<Role>('PUT', `/api/roles/${enc(roleId)}/users`, { userIds }),
  },

  /** The connector catalog is the one list answered as a bare array. */
  connectors: () => request<Connector[]>('GET', '/api/connectors'),

  apps: {
    list: () => whole<App>('/api/apps'),
    get: (appId: string) => request<App>('GET', `/api/apps/${enc(appId)}`),
    create: (connector: ConnectorId, name: string) => request<App>('POST', '/api/apps', { connector, name }),
    remove: (appId: string) => request<void>('DELETE', `/api/apps/${enc(appId)}`),
    saveConfiguration: (appId: string, input: ConfigurationInput) =>
      request<App>('PUT', `/api/apps/${enc(appId)}/configuration`, input),
    enable: (appId: string) => request<App>('POST', `/api/apps/${enc(appId)}/configuration/enable`),
    saveParameters: (appId: string, input: ParametersInput) =>
      request<App>('PUT', `/api/apps/${enc(appId)}/parameters`, input),
    saveProvisioning: (appId: string, input: Provisioning) =>
      request<App>('PUT', `/api/apps/${enc(appId)}/provisioning`, input),
    /** null (or empty) goes back to the built-in mapping. */
    saveScimTemplate: (appId: string, scimJsonTemplate: string | null) =>
      request<App>('PUT', `/api/apps/${enc(appId)}/parameters/scim-json-template`, { scimJsonTemplate }),
    /** Leave `scimJsonTemplate` out to preview the saved template. */
    previewScimTemplate: (appId: string, input: { userId: string; scimJsonTemplate?: string | null }) =>
      request<ScimTemplatePreview>(
        'POST',
        `/api/apps/${enc(appId)}/parameters/scim-json-template/preview`,
        input,
      ),
  },

  plans: {
    get: (appId: string, kind: PlanKind) => request<BulkPlan>('GET', `/api/apps/${enc(appId)}/plans/${kind}`),
    apply: (appId: string, kind: PlanKind, planId: string) =>
      request<ApplyResult>('POST', `/api/apps/${enc(appId)}/plans/${kind}/apply`, { planId }),
  },

  appUsers: {
    list: (appId: string, query: PageQuery & { state?: AppUserState }) =>
      request<Page<AppUserRow>>('GET', withQuery(`/api/apps/${enc(appId)}/users`, query)),
    get: (appId: string, userId: string) =>
      request<AppUser>('GET', `/api/apps/${enc(appId)}/users/${enc(userId)}`),
    assign: (appId: string, userId: string) =>
      request<AppUser>('POST', `/api/apps/${enc(appId)}/users`, { userId }),
    unassign: (appId: string, userId: string) =>
      request<void>('DELETE', `/api/apps/${enc(appId)}/users/${enc(userId)}`),
  },

  tasks: {
    list: (appId: string, query: PageQuery & { status?: TaskStatus }) =>
      request<Page<Task>>('GET', withQuery(`/api/apps/${enc(appId)}/tasks`, query)),
    approve: (appId: string, taskId: string) =>
      request<Task>('POST', `/api/apps/${enc(appId)}/tasks/${enc(taskId)}/approve`),
    deny: (appId: string, taskId: string, reason?: string) =>
      request<Task>('POST', `/api/apps/${enc(appId)}/tasks/${enc(taskId)}/deny`, reason ? { reason } : {}),
    retry: (appId: string, taskId: string) =>
      request<Task>('POST', `/api/apps/${enc(appId)}/tasks/${enc(taskId)}/retry`),
  },

  imports: {
    run: (appId: string) => request<ImportSummary>('POST', `/api/apps/${enc(appId)}/import`),
    latest: (appId: string) =>
      request<{ lastImport: ImportSummary | null }>('GET', `/api/apps/${enc(appId)}/import/summary`),
    page: (appId: string, query: PageQuery & { kind?: ImportKind | undefined }) =>
      request<ImportPage>('GET', withQuery(`/api/apps/${enc(appId)}/import`, query)),
    decide: (appId: string, key: string, action: ImportAction) =>
      request<ImportItem>('POST', `/api/apps/${enc(appId)}/import/items/${enc(key)}`, { action }),
  },

  log: {
    list: (filters: LogFilters & PageQuery) =>
      request<Page<WithLogUser<LogEvent>>>('GET', withQuery('/api/provisioning-log', { ...filters })),
    pushes: (filters: LogFilters & PageQuery) =>
      request<Page<WithLogUser<LogPush>>>('GET', withQuery('/api/provisioning-log/pushes', { ...filters })),
    summary: (filters: LogFilters) =>
      request<LogSummary>('GET', withQuery('/api/provisioning-log/summary', { ...filters })),
    exportPath: (format: 'csv' | 'ndjson', filters: LogFilters) =>
      withQuery('/api/provisioning-log/export', { format, ...filters }),
    streamPath: (appId?: string) => withQuery('/api/provisioning-log/stream', { appId }),
  },

  target: {
    orgs: (query: PageQuery) => request<Page<Org>>('GET', withQuery('/target-api/orgs', query)),
    allOrgs: () => whole<Org>('/target-api/orgs'),
    org: (orgId: string) => request<Org>('GET', `/target-api/orgs/${enc(orgId)}`),
    createOrg: (input: OrgInput) => request<Org>('POST', '/target-api/orgs', input),
    removeOrg: (orgId: string) => request<void>('DELETE', `/target-api/orgs/${enc(orgId)}`),
    saveSettings: (orgId: string, input: { strictAttributes?: boolean; seatLimit?: number | null }) =>
      request<Org>('PUT', `/target-api/orgs/${enc(orgId)}/settings`, input),
    saveSso: (orgId: string, sso: Org['sso']) =>
      request<Org>('PUT', `/target-api/orgs/${enc(orgId)}/sso`, sso),
    setScim: (orgId: string, enabled: boolean) =>
      request<Org>('PUT', `/target-api/orgs/${enc(orgId)}/scim`, { enabled }),
    generateToken: (orgId: string, lifetimeDays: number) =>
      request<IssuedToken>('POST', `/target-api/orgs/${enc(orgId)}/tokens`, { lifetimeDays }),
    /** `query` keeps the people whose userName contains it. */
    users: (orgId: string, query: PageQuery & { query?: string }) =>
      request<Page<OrgUser>>('GET', withQuery(`/target-api/orgs/${enc(orgId)}/users`, query)),
    acceptInvitation: (orgId: string, scimId: string) =>
      request<OrgUser>('POST', `/target-api/orgs/${enc(orgId)}/users/${enc(scimId)}/accept-invitation`),
    attemptLogin: (orgId: string, userName: string) =>
      request<LoginAttempt>('POST', `/target-api/orgs/${enc(orgId)}/login-attempts`, { userName }),
    groups: (orgId: string, query: PageQuery) =>
      request<Page<OrgGroup>>('GET', withQuery(`/target-api/orgs/${enc(orgId)}/groups`, query)),
    /** Simulation: a change made in Calendly's own screens, behind the identity provider's back. */
    simulateChange: (orgId: string, scimId: string, change: OutOfBandChange) =>
      request<OrgUser>('POST', `/target-api/orgs/${enc(orgId)}/users/${enc(scimId)}/simulate-change`, change),
    faults: (orgId: string) => request<Faults>('GET', `/target-api/orgs/${enc(orgId)}/faults`),
    saveFaults: (orgId: string, faults: Faults) =>
      request<Faults>('PUT', `/target-api/orgs/${enc(orgId)}/faults`, faults),
    requests: (orgId: string, cursor: string | null) =>
      request<Page<JournalEntry>>(
        'GET',
        withQuery(`/target-api/orgs/${enc(orgId)}/requests`, { cursor, limit: 100 }),
      ),
  },
};
