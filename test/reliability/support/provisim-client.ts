import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: replies are read loosely and asserted on in the tests
type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * A thin HTTP client for the REST contract that keeps the text of every reply it received,
 * so a test can search all of them for a secret afterwards.
 */
export class ApiClient {
  readonly replies: string[] = [];

  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  async call<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    init: { headers?: Record<string, string>; rawBody?: string; timeoutMs?: number } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: string | undefined = init.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    this.replies.push(text);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  /** Like `call`, but fails the test unless the status is `expected`. */
  async ok<T = Json>(method: string, path: string, body?: unknown, expected = [200, 201, 204]): Promise<T> {
    const reply = await this.call<T>(method, path, body);
    if (!expected.includes(reply.status)) {
      throw new Error(`${method} ${path} answered ${reply.status}: ${reply.text.slice(0, 1000)}`);
    }
    return reply.body;
  }

  /** Every item of a paginated list (`{items, nextCursor}`). */
  async all<T = Json>(path: string, limit = 1000): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await this.ok(
        'GET',
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      if (page.nextCursor !== null && page.nextCursor === cursor) {
        throw new Error(
          `GET ${path}: the next page's cursor is the cursor just used (${cursor}); paging would never end`,
        );
      }
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
}

export interface TargetOrg {
  orgId: string;
  scimBaseUrl: string;
  token: string;
}

/** A Calendly-like org on the built-in target with SSO enforced, SCIM on and a fresh bearer token. */
export async function createTargetOrg(
  management: ApiClient,
  options: { name?: string; strictAttributes?: boolean } = {},
): Promise<TargetOrg> {
  const org = await management.ok('POST', '/target-api/orgs', {
    name: options.name ?? 'Reliability Org',
    strictAttributes: options.strictAttributes ?? true,
  });
  await management.ok('PUT', `/target-api/orgs/${org.id}/sso`, { configured: true, enforced: true });
  await management.ok('PUT', `/target-api/orgs/${org.id}/scim`, { enabled: true });
  const { token } = await management.ok('POST', `/target-api/orgs/${org.id}/tokens`, { lifetimeDays: 30 });
  return { orgId: org.id, scimBaseUrl: org.scimBaseUrl, token };
}

/** Points a SCIM base URL at another origin (a proxy in front of the target), keeping the path. */
export const throughOrigin = (scimBaseUrl: string, origin: string): string => {
  const url = new URL(scimBaseUrl);
  return `${origin}${url.pathname}`;
};

export interface AppSetup {
  scimBaseUrl: string;
  token: string;
  connector?: 'calendly' | 'scim-generic';
  dialect?: 'onelogin' | 'okta' | 'entra' | 'rfc';
  requireApproval?: { create: boolean; update: boolean; delete: boolean };
  onDelete?: 'delete' | 'suspend' | 'none';
}

/** An app configured, enabled (connection tested), with SCIM Username = email and provisioning on. */
export async function createProvisioningApp(api: ApiClient, setup: AppSetup): Promise<string> {
  const app = await api.ok('POST', '/api/apps', {
    connector: setup.connector ?? 'calendly',
    name: 'Calendly',
  });
  await api.ok('PUT', `/api/apps/${app.id}/configuration`, {
    scimBaseUrl: setup.scimBaseUrl,
    scimBearerToken: setup.token,
    dialect: setup.dialect ?? 'onelogin',
  });
  await api.ok('POST', `/api/apps/${app.id}/configuration/enable`);
  await api.ok('PUT', `/api/apps/${app.id}/parameters`, { scimUsername: 'email' });
  await api.ok('PUT', `/api/apps/${app.id}/provisioning`, {
    enabled: true,
    requireApproval: setup.requireApproval ?? { create: false, update: false, delete: true },
    onDelete: setup.onDelete ?? 'suspend',
    onSuspend: 'suspend',
  });
  return app.id;
}

/** `count` directory users with unique emails; returns their ids in order. */
export async function createUsers(api: ApiClient, count: number, label: string): Promise<string[]> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const users = await mapLimit(indexes, 8, (i) =>
    api.ok('POST', '/api/users', {
      firstname: `First${i}`,
      lastname: `Last${i}`,
      email: `${label}-${i}@example.com`,
      department: 'QA',
    }),
  );
  return users.map((u: { id: string }) => u.id);
}

export async function assignUsers(api: ApiClient, appId: string, userIds: readonly string[]): Promise<void> {
  await mapLimit(userIds, 8, (userId) => api.ok('POST', `/api/apps/${appId}/users`, { userId }));
}

/** Waits (through the contract's idle endpoint) until no task of the app is queued or running. */
export async function waitIdle(api: ApiClient, appId: string, totalMs = 40_000): Promise<void> {
  const deadline = Date.now() + totalMs;
  while (Date.now() < deadline) {
    const reply = await api.call('GET', `/api/apps/${appId}/idle?timeoutMs=5000`, undefined, {
      timeoutMs: 15_000,
    });
    if (reply.status === 200 && reply.body?.idle === true) return;
    if (reply.status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  const app = await api.call('GET', `/api/apps/${appId}`);
  const tasks = await api.call('GET', `/api/apps/${appId}/tasks?limit=1000`);
  const statuses: Record<string, number> = {};
  for (const task of tasks.body?.items ?? []) statuses[task.status] = (statuses[task.status] ?? 0) + 1;
  throw new Error(
    `app ${appId} did not become idle within ${totalMs} ms: quarantine ${JSON.stringify(app.body?.quarantine)}, counts ${JSON.stringify(app.body?.counts)}, tasks ${JSON.stringify(statuses)}`,
  );
}

export interface TargetUser {
  scimId: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
}

export const targetUsers = (management: ApiClient, orgId: string): Promise<TargetUser[]> =>
  management.all<TargetUser>(`/target-api/orgs/${orgId}/users`);

/** One SCIM request as the built-in target's journal recorded it (it keeps the last 1,000 per org). */
export interface TargetRequest {
  at: string;
  method: string;
  path: string;
  body: unknown;
  status: number;
}

export const targetRequests = (management: ApiClient, orgId: string): Promise<TargetRequest[]> =>
  management.all<TargetRequest>(`/target-api/orgs/${orgId}/requests`);

/** Asserts each expected userName is on the target exactly once (no loss, no duplicate account). */
export function expectExactlyOnce(users: readonly TargetUser[], expectedUserNames: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const user of users)
    counts.set(user.userName.toLowerCase(), (counts.get(user.userName.toLowerCase()) ?? 0) + 1);
  const missing = expectedUserNames.filter((name) => !counts.has(name.toLowerCase()));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([name]) => name);
  expect({ missing, duplicated, total: users.length }).toEqual({
    missing: [],
    duplicated: [],
    total: expectedUserNames.length,
  });
}

/** The contract's error shape: `{error: {code, message, details?}}`. */
export function expectContractError(reply: Reply, status?: number): void {
  if (status !== undefined) expect(reply.status, reply.text).toBe(status);
  expect(reply.body, reply.text).toMatchObject({
    error: { code: expect.any(String), message: expect.any(String) },
  });
}

/** Polls the provisioning log (query string of filters) until it holds at least `atLeast` matching events. */
export async function waitForEvents(api: ApiClient, filters: string, atLeast: number, totalMs = 60_000) {
  const deadline = Date.now() + totalMs;
  while (Date.now() < deadline) {
    const page = await api.ok('GET', `/api/provisioning-log?${filters}&limit=${atLeast}`);
    if (page.items.length >= atLeast) return page.items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${atLeast} events matching ${filters} after ${totalMs} ms`);
}

/** Polls `GET /api/health` until it answers 200 (Redis reachable). */
export async function waitHealthy(api: ApiClient, totalMs = 30_000): Promise<void> {
  const deadline = Date.now() + totalMs;
  while (Date.now() < deadline) {
    const reply = await api.call('GET', '/api/health').catch(() => null);
    if (reply?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${api.baseUrl} did not report healthy within ${totalMs} ms`);
}
