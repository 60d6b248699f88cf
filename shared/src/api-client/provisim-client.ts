import type { z } from 'zod';
import type {
  AppView,
  configurationInputSchema,
  createAppInputSchema,
  parametersInputSchema,
  provisioningInputSchema,
} from '../types/app.schema.ts';
import type { CreateUserInput, PatchUserInput, Role, User } from '../types/directory.schema.ts';
import type { LogEvent, LogFilter } from '../types/log-types.ts';
import type { Faults, JournalEntry, OrgView, TargetUserView } from '../types/target-api.ts';
import type {
  AppUser,
  AppUserState,
  appUserDetailSchema,
  TaskStatus,
  TaskView,
} from '../types/task.schema.ts';
import {
  allPages,
  type Endpoint,
  expectStatus,
  type Page,
  parseBody,
  queryString,
  type Reply,
  type RequestOptions,
  sendRequest,
} from './http.ts';

export type AppUserDetail = z.infer<typeof appUserDetailSchema>;
export type ConfigurationInput = z.input<typeof configurationInputSchema>;
export type ParametersInput = z.input<typeof parametersInputSchema>;
export type ProvisioningInput = z.input<typeof provisioningInputSchema>;
export type ConnectorId = z.infer<typeof createAppInputSchema>['connector'];

export interface Health {
  status: string;
  redis: string;
  workers: number | null;
}
export interface ReapplyResult {
  queued: number;
  pending: number;
  unchanged: number;
}
export interface OrgInput {
  name: string;
  strictAttributes?: boolean;
  seatLimit?: number | null;
}
export interface IssuedToken {
  token: string;
  expiresAt: string;
}

type PageQuery = { limit?: number; cursor?: string | null };
type Send = <T>(method: string, path: string, body?: unknown, options?: RequestOptions) => Promise<Reply<T>>;

const enc = encodeURIComponent;

/**
 * The typed client of provisim's REST API (`/api`) and the built-in target's management API
 * (`/target-api`), with the server's own types from shared/. Each call answers the body on a 2xx and
 * throws an `ApiError` (status, contract error code, the reply) otherwise.
 */
export function createProvisimClient(endpoint: Endpoint | (() => Endpoint), send?: Send) {
  const where = typeof endpoint === 'function' ? endpoint : () => endpoint;
  const raw: Send =
    send ?? ((method, path, body, options) => sendRequest(where(), method, path, body, options));
  const call = async <T>(method: string, path: string, body?: unknown, options?: RequestOptions) =>
    expectStatus(method, path, await raw<T>(method, path, body, options));
  const get = <T>(path: string) => call<T>('GET', path);
  const every = <T>(path: string) => allPages<T>(path, (pagePath) => get<Page<T>>(pagePath));
  const app = (appId: string) => `/api/apps/${enc(appId)}`;
  const org = (orgId: string) => `/target-api/orgs/${enc(orgId)}`;

  return {
    endpoint: where,
    /** One request, whatever its answer (for checks of refusals). */
    raw,
    health: () => get<Health>('/api/health'),

    users: {
      create: (input: CreateUserInput) => call<User>('POST', '/api/users', input),
      get: (userId: string) => get<User>(`/api/users/${enc(userId)}`),
      list: (query: PageQuery & { query?: string } = {}) =>
        get<Page<User>>(`/api/users${queryString(query)}`),
      update: (userId: string, input: PatchUserInput) =>
        call<User>('PATCH', `/api/users/${enc(userId)}`, input),
      suspend: (userId: string) => call<User>('POST', `/api/users/${enc(userId)}/suspend`),
      reactivate: (userId: string) => call<User>('POST', `/api/users/${enc(userId)}/reactivate`),
      remove: (userId: string) => call<null>('DELETE', `/api/users/${enc(userId)}`),
    },

    roles: {
      create: (name: string) => call<Role>('POST', '/api/roles', { name }),
      setApps: (roleId: string, appIds: string[]) =>
        call<Role>('PUT', `/api/roles/${enc(roleId)}/apps`, { appIds }),
      setUsers: (roleId: string, userIds: string[]) =>
        call<Role>('PUT', `/api/roles/${enc(roleId)}/users`, { userIds }),
    },

    apps: {
      create: (connector: ConnectorId, name: string) =>
        call<AppView>('POST', '/api/apps', { connector, name }),
      get: (appId: string) => get<AppView>(app(appId)),
      all: () => every<AppView>('/api/apps'),
      remove: (appId: string) => call<null>('DELETE', app(appId)),
      configure: (appId: string, input: ConfigurationInput) =>
        call<AppView>('PUT', `${app(appId)}/configuration`, input),
      enable: (appId: string) => call<AppView>('POST', `${app(appId)}/configuration/enable`),
      setParameters: (appId: string, input: ParametersInput) =>
        call<AppView>('PUT', `${app(appId)}/parameters`, input),
      setProvisioning: (appId: string, input: ProvisioningInput) =>
        call<AppView>('PUT', `${app(appId)}/provisioning`, input),
      reapplyMappings: (appId: string) => call<ReapplyResult>('POST', `${app(appId)}/reapply-mappings`),
      /** Waits server-side up to `timeoutMs` for no task of the app to be queued or running. */
      idle: (appId: string, timeoutMs: number) =>
        call<{ idle: boolean }>('GET', `${app(appId)}/idle?timeoutMs=${timeoutMs}`, undefined, {
          timeoutMs: timeoutMs + 15_000,
        }),
    },

    appUsers: {
      assign: (appId: string, userId: string) => call<AppUser>('POST', `${app(appId)}/users`, { userId }),
      unassign: (appId: string, userId: string) => call<null>('DELETE', `${app(appId)}/users/${enc(userId)}`),
      get: (appId: string, userId: string) => get<AppUserDetail>(`${app(appId)}/users/${enc(userId)}`),
      all: (appId: string, state?: AppUserState) =>
        every<AppUser>(`${app(appId)}/users${queryString({ state })}`),
    },

    tasks: {
      all: (appId: string, status?: TaskStatus) =>
        every<TaskView>(`${app(appId)}/tasks${queryString({ status })}`),
      approve: (appId: string, taskId: string) =>
        call<TaskView>('POST', `${app(appId)}/tasks/${enc(taskId)}/approve`),
      deny: (appId: string, taskId: string, reason?: string) =>
        call<TaskView>('POST', `${app(appId)}/tasks/${enc(taskId)}/deny`, reason ? { reason } : {}),
      approveAll: (appId: string) => call<{ approved: number }>('POST', `${app(appId)}/tasks/approve-all`),
      retry: (appId: string, taskId: string) =>
        call<TaskView>('POST', `${app(appId)}/tasks/${enc(taskId)}/retry`),
    },

    log: {
      page: (filter: LogFilter & PageQuery = {}) =>
        get<Page<LogEvent>>(`/api/provisioning-log${queryString({ ...filter })}`),
      all: (filter: LogFilter = {}) => every<LogEvent>(`/api/provisioning-log${queryString({ ...filter })}`),
      /** The export as it streams; the caller reads `body`. */
      export: async (format: 'csv' | 'ndjson', filter: LogFilter = {}): Promise<Response> => {
        const { baseUrl, token } = where();
        const path = `/api/provisioning-log/export${queryString({ format, ...filter })}`;
        const res = await fetch(`${baseUrl}${path}`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        if (!res.ok) {
          const text = await res.text();
          expectStatus('GET', path, {
            status: res.status,
            text,
            body: parseBody(text),
            headers: res.headers,
          });
        }
        return res;
      },
    },

    target: {
      createOrg: (input: OrgInput) => call<OrgView>('POST', '/target-api/orgs', input),
      org: (orgId: string) => get<OrgView>(org(orgId)),
      removeOrg: (orgId: string) => call<null>('DELETE', org(orgId)),
      settings: (orgId: string, input: { strictAttributes?: boolean; seatLimit?: number | null }) =>
        call<OrgView>('PUT', `${org(orgId)}/settings`, input),
      sso: (orgId: string, sso: OrgView['sso']) => call<OrgView>('PUT', `${org(orgId)}/sso`, sso),
      scim: (orgId: string, enabled: boolean) => call<OrgView>('PUT', `${org(orgId)}/scim`, { enabled }),
      issueToken: (orgId: string, lifetimeDays: number) =>
        call<IssuedToken>('POST', `${org(orgId)}/tokens`, { lifetimeDays }),
      users: (orgId: string) => every<TargetUserView>(`${org(orgId)}/users`),
      acceptInvitation: (orgId: string, scimId: string) =>
        call<TargetUserView>('POST', `${org(orgId)}/users/${enc(scimId)}/accept-invitation`),
      faults: (orgId: string, faults: Partial<Faults>) => call<Faults>('PUT', `${org(orgId)}/faults`, faults),
      requests: (orgId: string) => every<JournalEntry>(`${org(orgId)}/requests`),
    },
  };
}

export type ProvisimClient = ReturnType<typeof createProvisimClient>;
