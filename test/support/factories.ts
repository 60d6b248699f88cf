import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { AppRecord } from '../../shared/src/types/app.schema.ts';
import type { CreateUserInput } from '../../shared/src/types/directory.schema.ts';
import type { Faults } from '../../shared/src/types/target-api.ts';
import { type Api, apiClient, deferredApiClient } from './api-client.ts';
import { mapLimit } from './map-limit.ts';
import { startStack, type TestStack } from './stack.ts';
import { createTargetOrg, setFaults, type TargetOrg } from './target-org.ts';

// Core tests import the org set-up with the rest of their fixtures from here.
export { createTargetOrg };

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

/** `count` directory users First<i> Last<i> with emails `<label>-<i>@example.com`; returns their ids in order. */
export async function createUsers(api: Api, count: number, label: string): Promise<string[]> {
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

export async function assignUsers(api: Api, appId: string, userIds: readonly string[]): Promise<void> {
  await mapLimit(userIds, 8, (userId) => api.ok('POST', `/api/apps/${appId}/users`, { userId }));
}

/** `count` new directory users (see `createUsers`) assigned to the app; returns their ids in order. */
export async function assignNewUsers(
  api: Api,
  appId: string,
  count: number,
  label: string,
): Promise<string[]> {
  const userIds = await createUsers(api, count, label);
  await assignUsers(api, appId, userIds);
  return userIds;
}

type Provisioning = AppRecord['provisioning'];

export interface AppSetup {
  connector?: AppRecord['connector'];
  scimBaseUrl: string;
  token: string;
  dialect?: AppRecord['configuration']['dialect'];
  scimUsername?: 'email' | 'username';
  custom?: AppRecord['parameters']['custom'];
  /** Every action waits for approval unless given. */
  requireApproval?: Readonly<Provisioning['requireApproval']>;
  onDelete?: Provisioning['onDelete'];
  onSuspend?: Provisioning['onSuspend'];
}

/** Approval for deletes only: assigning and changing a user pushes at once. */
export const APPROVE_DELETES_ONLY = { create: false, update: false, delete: true } as const;

/** Configuration, Enable (the connection test), Parameters, Provisioning: the walkthrough's app setup through the API. */
export async function setUpApp(api: Api, setup: AppSetup): Promise<string> {
  const app = await api.ok('POST', '/api/apps', { connector: setup.connector ?? 'calendly', name: 'App' });
  const appId: string = app.id;
  await api.ok('PUT', `/api/apps/${appId}/configuration`, {
    scimBaseUrl: setup.scimBaseUrl,
    scimBearerToken: setup.token,
    ...(setup.dialect ? { dialect: setup.dialect } : {}),
  });
  await api.ok('POST', `/api/apps/${appId}/configuration/enable`);
  await api.ok('PUT', `/api/apps/${appId}/parameters`, {
    scimUsername: setup.scimUsername ?? 'email',
    custom: setup.custom ?? [],
  });
  await api.ok('PUT', `/api/apps/${appId}/provisioning`, {
    enabled: true,
    requireApproval: setup.requireApproval ?? { create: true, update: true, delete: true },
    onDelete: setup.onDelete ?? 'suspend',
    onSuspend: setup.onSuspend ?? 'suspend',
  });
  return appId;
}

export interface NewOrgAppSetup extends Omit<AppSetup, 'scimBaseUrl' | 'token'> {
  /** Rewrites the org's SCIM base URL, to put a proxy in between. */
  via?: (scimBaseUrl: string) => string;
  /** Faults the org injects once the app is set up (so that Enable's connection test still passes). */
  faults?: Partial<Faults>;
  orgSettings?: Parameters<typeof createTargetOrg>[1];
}

/** A new org of the built-in target and an app pushing to it (see `setUpApp`). */
export async function setUpAppOnNewOrg(
  api: Api,
  { via, faults, orgSettings, ...setup }: NewOrgAppSetup = {},
): Promise<{ org: TargetOrg; appId: string }> {
  const org = await createTargetOrg(api, orgSettings);
  const scimBaseUrl = via ? via(org.scimBaseUrl) : org.scimBaseUrl;
  const appId = await setUpApp(api, { ...setup, scimBaseUrl, token: org.token });
  if (faults) await setFaults(api, org.orgId, faults);
  return { org, appId };
}

/** A generic SCIM app on a new (non-strict) org of the built-in target: department mapped to groups, no approvals. */
export async function setUpDepartmentGroupsApp(api: Api, target: Api) {
  const org = await createTargetOrg(target, { strictAttributes: false });
  const appId = await setUpApp(api, {
    connector: 'scim-generic',
    scimBaseUrl: org.scimBaseUrl,
    token: org.token,
    custom: [{ name: 'Department group', source: 'department', target: 'groups' }],
    requireApproval: { create: false, update: false, delete: false },
  });
  return { org, appId };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits (through the contract's idle endpoint) until no task of the app is queued or running. It asks
 * again while the API answers an error (Redis restarting), and says what was left if time runs out.
 */
export async function waitIdle(api: Api, appId: string, totalMs = 30_000): Promise<void> {
  const deadline = Date.now() + totalMs;
  while (Date.now() < deadline) {
    const reply = await api('GET', `/api/apps/${appId}/idle?timeoutMs=5000`, undefined, {
      timeoutMs: 15_000,
    });
    if (reply.status === 200 && reply.body?.idle === true) return;
    if (reply.status !== 200) await sleep(200);
  }
  const app = await api('GET', `/api/apps/${appId}`);
  const tasks = await api('GET', `/api/apps/${appId}/tasks?limit=1000`);
  const statuses: Record<string, number> = {};
  for (const task of tasks.body?.items ?? []) statuses[task.status] = (statuses[task.status] ?? 0) + 1;
  throw new Error(
    `app ${appId} did not become idle within ${totalMs} ms: quarantine ${JSON.stringify(app.body?.quarantine)}, counts ${JSON.stringify(app.body?.counts)}, tasks ${JSON.stringify(statuses)}`,
  );
}

/** Polls `GET /api/health` until it answers 200: Redis reachable (the API fails fast while it connects). */
export async function waitHealthy(apiUrl: string, totalMs = 30_000): Promise<void> {
  const anonymous = apiClient(apiUrl, null);
  const deadline = Date.now() + totalMs;
  while (Date.now() < deadline) {
    const reply = await anonymous('GET', '/api/health').catch(() => null);
    if (reply?.status === 200) return;
    await sleep(50);
  }
  throw new Error(`${apiUrl} did not report healthy within ${totalMs} ms`);
}

/** Polls the provisioning log (query string of filters) until it holds at least `atLeast` matching events. */
export async function waitForEvents(api: Api, filters: string, atLeast: number, totalMs = 60_000) {
  const deadline = Date.now() + totalMs;
  while (Date.now() < deadline) {
    const page = await api.ok('GET', `/api/provisioning-log?${filters}&limit=${atLeast}`);
    if (page.items.length >= atLeast) return page.items;
    await sleep(100);
  }
  throw new Error(`fewer than ${atLeast} events matching ${filters} after ${totalMs} ms`);
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
    await waitHealthy(stack.apiUrl, 10_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return {
    api: deferredApiClient(() => ({ baseUrl: started().apiUrl, token: started().adminToken })),
    target: deferredApiClient(() => ({ baseUrl: started().targetUrl, token: started().adminToken })),
    stack: started,
  };
}
