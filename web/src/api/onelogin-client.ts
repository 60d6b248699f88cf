import type { DeletionSafety } from '../../../shared/src/types/deletion-safety.schema.ts';
import type { ProvisionNowResult } from '../../../shared/src/types/provision-now.schema.ts';
import { request } from './http.ts';
import type { App } from './types.ts';

const enc = encodeURIComponent;

/** Deletion safety (the accidental-deletion threshold), provision on demand and rules. */
export const oneloginApi = {
  saveDeletionSafety: (appId: string, input: DeletionSafety) =>
    request<App>('PUT', `/api/apps/${enc(appId)}/deletion-safety`, input),
  allowHeld: (appId: string, count: number) =>
    request<{ allowed: number }>('POST', `/api/apps/${enc(appId)}/deletion-hold/allow`, { count }),
  rejectHeld: (appId: string, count: number) =>
    request<{ rejected: number }>('POST', `/api/apps/${enc(appId)}/deletion-hold/reject`, { count }),
  provisionNow: (appId: string, userId: string) =>
    request<ProvisionNowResult>('POST', `/api/apps/${enc(appId)}/users/${enc(userId)}/provision-now`, {}),
};
