import type { AppUserState, LogFilters, TaskStatus } from '../api/types.ts';

/** Every cached query's key, in one place, so invalidation can target a resource or all of it. */
export const queryKeys = {
  health: ['health'] as const,
  connectors: ['connectors'] as const,
  apps: {
    all: ['apps'] as const,
    one: (appId: string) => ['apps', appId] as const,
  },
  appUsers: {
    list: (appId: string, state: AppUserState | undefined, cursor: string | null) =>
      ['app-users', appId, 'list', state ?? 'all', cursor] as const,
  },
  rules: (appId: string) => ['rules', appId] as const,
  ruleMatches: (appId: string, ruleId: string) => ['rules', appId, 'matches', ruleId] as const,
  imports: {
    latest: (appId: string) => ['imports', appId, 'latest'] as const,
    page: (appId: string, kind: string, cursor: string | null) => ['imports', appId, kind, cursor] as const,
  },
  tasks: {
    list: (appId: string, status: TaskStatus | undefined) => ['tasks', appId, status ?? 'all'] as const,
  },
  users: {
    list: (query: string, cursor: string | null, limit: number) =>
      ['users', 'list', query, cursor, limit] as const,
    one: (userId: string) => ['users', 'one', userId] as const,
    assignments: (userId: string) => ['users', 'assignments', userId] as const,
  },
  roles: ['roles'] as const,
  log: {
    all: ['log'] as const,
    list: (filters: LogFilters, cursor: string | null, limit: number) =>
      ['log', 'list', filters, cursor, limit] as const,
    pushPage: (filters: LogFilters, cursor: string | null) => ['log', 'push-page', filters, cursor] as const,
    summary: (filters: LogFilters) => ['log', 'summary', filters] as const,
    pushes: ['log', 'pushes'] as const,
  },
  target: {
    orgs: (cursor: string | null) => ['target', 'orgs', 'list', cursor] as const,
    allOrgs: ['target', 'orgs', 'all'] as const,
    org: (orgId: string) => ['target', 'orgs', orgId] as const,
    users: (orgId: string, query: string, cursor: string | null) =>
      ['target', 'orgs', orgId, 'users', query, cursor] as const,
    /** The walkthrough's look at an org's people: one large page, not the People screen's. */
    walkthroughUsers: (orgId: string) => ['target', 'orgs', orgId, 'users', 'walkthrough'] as const,
    requests: (orgId: string, cursor: string | null) =>
      ['target', 'orgs', orgId, 'requests', cursor] as const,
    groups: (orgId: string, cursor: string | null) => ['target', 'orgs', orgId, 'groups', cursor] as const,
    faults: (orgId: string) => ['target', 'orgs', orgId, 'faults'] as const,
  },
};
