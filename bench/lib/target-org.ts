import type { ApiClient } from './api-client.ts';

export interface BenchOrg {
  id: string;
  scimBaseUrl: string;
  /** The org's SCIM bearer token: handed to provisim, never printed or written to results. */
  token: string;
}

/** A fresh organization on the built-in target, ready for SCIM: SSO configured and enforced, SCIM on, a token. */
export async function createBenchOrg(targetApi: ApiClient, name: string): Promise<BenchOrg> {
  const org = await targetApi.call<{ id: string; scimBaseUrl: string }>('POST', '/target-api/orgs', {
    name,
    strictAttributes: true,
  });
  await targetApi.call('PUT', `/target-api/orgs/${org.id}/sso`, { configured: true, enforced: true });
  await targetApi.call('PUT', `/target-api/orgs/${org.id}/scim`, { enabled: true });
  const { token } = await targetApi.call<{ token: string }>('POST', `/target-api/orgs/${org.id}/tokens`, {
    lifetimeDays: 1,
  });
  return { id: org.id, scimBaseUrl: org.scimBaseUrl, token };
}

/** How many users the org holds, through its own SCIM endpoint (totalResults counts every match). */
export async function countOrgUsers(org: BenchOrg): Promise<number> {
  const response = await fetch(`${org.scimBaseUrl}/Users?count=1`, {
    headers: { authorization: `Bearer ${org.token}` },
  });
  if (!response.ok) throw new Error(`GET ${org.scimBaseUrl}/Users -> ${response.status}`);
  return ((await response.json()) as { totalResults: number }).totalResults;
}
