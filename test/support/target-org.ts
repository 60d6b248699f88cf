import { randomBytes } from 'node:crypto';
import type { Faults } from '../../shared/src/types/target-api.ts';
import type { Api } from './api-client.ts';

/** An org of the built-in target as `createTargetOrg` leaves it: where its SCIM endpoints are and a token. */
export interface TargetOrg {
  orgId: string;
  scimBaseUrl: string;
  token: string;
}

/** An org on the built-in target set up as the walkthrough says: SSO configured and enforced, SCIM on, a token. */
export async function createTargetOrg(
  target: Api,
  settings: { name?: string; strictAttributes?: boolean; seatLimit?: number | null } = {},
): Promise<TargetOrg> {
  const org = await target.ok('POST', '/target-api/orgs', {
    name: `org-${randomBytes(3).toString('hex')}`,
    ...settings,
  });
  await target.ok('PUT', `/target-api/orgs/${org.id}/sso`, { configured: true, enforced: true });
  await target.ok('PUT', `/target-api/orgs/${org.id}/scim`, { enabled: true });
  const { token } = await target.ok('POST', `/target-api/orgs/${org.id}/tokens`, { lifetimeDays: 30 });
  return { orgId: org.id, scimBaseUrl: org.scimBaseUrl, token };
}

export interface TargetUser {
  scimId: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
}

/** One SCIM request as the built-in target's journal recorded it (it keeps the last 1,000 per org). */
export interface TargetRequest {
  at: string;
  method: string;
  path: string;
  body: unknown;
  status: number;
}

/** The faults the built-in target injects into the org's SCIM answers (latency, error rate, rate limit, ...). */
export const setFaults = (management: Api, orgId: string, faults: Partial<Faults>): Promise<unknown> =>
  management.ok('PUT', `/target-api/orgs/${orgId}/faults`, faults);

export const targetUsers = (management: Api, orgId: string): Promise<TargetUser[]> =>
  management.all<TargetUser>(`/target-api/orgs/${orgId}/users`);

export const targetRequests = (management: Api, orgId: string): Promise<TargetRequest[]> =>
  management.all<TargetRequest>(`/target-api/orgs/${orgId}/requests`);

/** Points a SCIM base URL at another origin (a proxy in front of the target, or the target's own process), keeping the path. */
export const throughOrigin = (scimBaseUrl: string, origin: string): string => {
  const url = new URL(scimBaseUrl);
  return `${origin}${url.pathname}`;
};
