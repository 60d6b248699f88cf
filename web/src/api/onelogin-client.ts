import type { DeletionSafety } from '../../../shared/src/types/deletion-safety.schema.ts';
import type { ProvisionNowResult } from '../../../shared/src/types/provision-now.schema.ts';
import type { GroupRenameInput, Rule, RuleInput } from '../../../shared/src/types/rules.schema.ts';
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
  rules: {
    list: (appId: string) => request<{ items: Rule[] }>('GET', `/api/apps/${enc(appId)}/rules`),
    create: (appId: string, input: RuleInput) =>
      request<RuleChange>('POST', `/api/apps/${enc(appId)}/rules`, input),
    replace: (appId: string, { id, ...input }: Rule) =>
      request<RuleChange>('PUT', `/api/apps/${enc(appId)}/rules/${enc(id)}`, input),
    remove: (appId: string, ruleId: string) =>
      request<RuleChange>('DELETE', `/api/apps/${enc(appId)}/rules/${enc(ruleId)}`),
    reorder: (appId: string, ruleIds: string[]) =>
      request<RuleChange>('PUT', `/api/apps/${enc(appId)}/rules/order`, { ruleIds }),
    renameGroup: (appId: string, input: GroupRenameInput) =>
      request<GroupRenamed>('POST', `/api/apps/${enc(appId)}/rules/rename-group`, input),
    matches: (appId: string, ruleId: string) =>
      request<RuleMatches>('GET', `/api/apps/${enc(appId)}/rules/${enc(ruleId)}/matches?limit=20`),
  },
};

export type RuleChange = { rules: Rule[]; reconcile: { queued: number; pending: number; unchanged: number } };
export type RuleMatches = { total: number; items: { userId: string; email: string; name: string }[] };
export type GroupRenamed = RuleChange & { renamedOnTarget: boolean; appUsers: number };
