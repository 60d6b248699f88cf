import type { ApiClient } from './api-client.ts';
import type { BenchOrg } from './target-org.ts';

/**
 * A Calendly app pointed at `org`, connection enabled, SCIM Username = email, provisioning on,
 * every action behind approval, at most `concurrency` pushes at once across all worker processes.
 */
export async function createApprovalApp(
  api: ApiClient,
  name: string,
  org: BenchOrg,
  concurrency: number,
): Promise<string> {
  const app = await api.call<{ id: string }>('POST', '/api/apps', { connector: 'calendly', name });
  await api.call('PUT', `/api/apps/${app.id}/configuration`, {
    scimBaseUrl: org.scimBaseUrl,
    scimBearerToken: org.token,
    dialect: 'onelogin',
  });
  await api.call('POST', `/api/apps/${app.id}/configuration/enable`);
  await api.call('PUT', `/api/apps/${app.id}/parameters`, { scimUsername: 'email' });
  await api.call('PUT', `/api/apps/${app.id}/provisioning`, {
    enabled: true,
    requireApproval: { create: true, update: true, delete: true },
    onDelete: 'suspend',
    onSuspend: 'suspend',
    concurrency,
  });
  return app.id;
}

/** Ids per role: keeps each PUT body (~25 bytes an id) well under a JSON body limit of 100 kB. */
const ROLE_CHUNK = 2000;

/**
 * Assigns users through the API's bulk path: roles of up to ROLE_CHUNK users, each given the app
 * (PUT /api/roles/:id/users, then PUT /api/roles/:id/apps, which recomputes them in one batch).
 * With create approval on, every user becomes a pending create.
 */
export async function assignUsersByRoles(
  api: ApiClient,
  appId: string,
  userIds: readonly string[],
): Promise<void> {
  // One chunk at a time: chunks of the same app are never recomputed concurrently.
  for (let start = 0; start < userIds.length; start += ROLE_CHUNK) {
    const role = await api.call<{ id: string }>('POST', '/api/roles', { name: `bench ${appId} ${start}` });
    await api.call('PUT', `/api/roles/${role.id}/users`, {
      userIds: userIds.slice(start, start + ROLE_CHUNK),
    });
    await api.call('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
  }
}

export interface AppCounts {
  assigned: number;
  pending: number;
  provisioned: number;
  failed: number;
}

export const appCounts = async (api: ApiClient, appId: string): Promise<AppCounts> =>
  (await api.call<{ counts: AppCounts }>('GET', `/api/apps/${appId}`)).counts;
