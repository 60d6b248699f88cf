import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { CreateUserInput } from '../../shared/src/types/directory.schema.ts';
import { startStack, type TestStack } from './stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read ad hoc; assertions check their shape
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export type Api = <T = any>(method: string, path: string, body?: unknown) => Promise<ApiResponse<T>>;

/** A JSON client for the provisim API (and the target's management API) with the admin token. */
export function apiClient(baseUrl: string, token: string | null): Api {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // a non-JSON answer stays text
    }
    return { status: res.status, body: parsed as never, text };
  };
}

/** A directory user with unique email and username. */
export function buildUser(overrides: Partial<CreateUserInput> = {}): CreateUserInput {
  const tag = randomBytes(4).toString('hex');
  return {
    firstname: 'Ada',
    lastname: `Lovelace-${tag}`,
    email: `ada.${tag}@example.test`,
    username: `ada-${tag}`,
    department: 'Engineering',
    title: 'Analyst',
    ...overrides,
  };
}

/** An org on the built-in target set up as the walkthrough says: SSO configured and enforced, SCIM on, a token. */
export async function createTargetOrg(
  target: Api,
  settings: { strictAttributes?: boolean; seatLimit?: number | null } = {},
): Promise<{ orgId: string; scimBaseUrl: string; token: string }> {
  const org = await target('POST', '/target-api/orgs', {
    name: `org-${randomBytes(3).toString('hex')}`,
    ...settings,
  });
  if (org.status !== 201) throw new Error(`create org: ${org.status} ${org.text}`);
  await target('PUT', `/target-api/orgs/${org.body.id}/sso`, { configured: true, enforced: true });
  await target('PUT', `/target-api/orgs/${org.body.id}/scim`, { enabled: true });
  const token = await target('POST', `/target-api/orgs/${org.body.id}/tokens`, { lifetimeDays: 30 });
  if (token.status !== 201) throw new Error(`token: ${token.status} ${token.text}`);
  return { orgId: org.body.id, scimBaseUrl: org.body.scimBaseUrl, token: token.body.token };
}

export interface AppSetup {
  connector?: 'calendly' | 'scim-generic';
  scimBaseUrl: string;
  token: string;
  dialect?: string;
  scimUsername?: 'email' | 'username';
  custom?: Array<{ name: string; source: string; target: string }>;
  requireApproval?: { create: boolean; update: boolean; delete: boolean };
  onDelete?: 'delete' | 'suspend' | 'none';
  onSuspend?: 'suspend' | 'none';
}

/** Configuration, Enable, Parameters, Provisioning: the walkthrough's app setup through the API. */
export async function setUpApp(api: Api, setup: AppSetup): Promise<string> {
  const expectOk = (step: string, res: ApiResponse) => {
    if (res.status >= 300) throw new Error(`${step}: ${res.status} ${res.text}`);
    return res;
  };
  const app = expectOk(
    'create app',
    await api('POST', '/api/apps', { connector: setup.connector ?? 'calendly', name: 'App' }),
  );
  const appId: string = app.body.id;
  expectOk(
    'configuration',
    await api('PUT', `/api/apps/${appId}/configuration`, {
      scimBaseUrl: setup.scimBaseUrl,
      scimBearerToken: setup.token,
      ...(setup.dialect ? { dialect: setup.dialect } : {}),
    }),
  );
  expectOk('enable', await api('POST', `/api/apps/${appId}/configuration/enable`));
  expectOk(
    'parameters',
    await api('PUT', `/api/apps/${appId}/parameters`, {
      scimUsername: setup.scimUsername ?? 'email',
      custom: setup.custom ?? [],
    }),
  );
  expectOk(
    'provisioning',
    await api('PUT', `/api/apps/${appId}/provisioning`, {
      enabled: true,
      requireApproval: setup.requireApproval ?? { create: true, update: true, delete: true },
      onDelete: setup.onDelete ?? 'suspend',
      onSuspend: setup.onSuspend ?? 'suspend',
    }),
  );
  return appId;
}

/** Waits (through the API) until no task of the app is queued or running. */
export async function waitIdle(api: Api, appId: string, timeoutMs = 30_000): Promise<void> {
  const res = await api('GET', `/api/apps/${appId}/idle?timeoutMs=${timeoutMs}`);
  if (res.status !== 200 || res.body.idle !== true)
    throw new Error(`app ${appId} not idle: ${res.status} ${res.text}`);
}

/** Polls `/api/health` until Redis answers (the API's connection fails fast while it is still connecting). */
export async function waitHealthy(apiUrl: string, timeoutMs = 10_000): Promise<void> {
  const health = apiClient(apiUrl, null);
  const deadline = Date.now() + timeoutMs;
  while ((await health('GET', '/api/health')).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${apiUrl} not healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface StackApis {
  /** The provisim API with the admin token. */
  api: Api;
  /** The built-in target's management API with the admin token. */
  target: Api;
  stack(): TestStack;
}

/** Starts the whole stack before the file's tests and stops it after them; the clients work once it is up. */
export function useStack(options?: Parameters<typeof startStack>[0]): StackApis {
  let stack: TestStack | undefined;
  const started = () => {
    if (!stack) throw new Error('the stack is not started yet: use it inside a test or a hook');
    return stack;
  };
  beforeAll(async () => {
    stack = await startStack(options);
    await waitHealthy(stack.apiUrl);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return {
    api: (method, path, body) => apiClient(started().apiUrl, started().adminToken)(method, path, body),
    target: (method, path, body) => apiClient(started().targetUrl, started().adminToken)(method, path, body),
    stack: started,
  };
}
