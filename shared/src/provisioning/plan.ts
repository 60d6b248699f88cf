import { applyRules } from '../mapping/rules.ts';
import { previewRequest } from '../mapping/scim-request-preview.ts';
import { buildScimUser, desiredGroups, type ScimUser, scimResourcesEqual } from '../mapping/scim-user.ts';
import type { AppUserRecord, Intent } from '../store/app-users.store.ts';
import type { AppRecord } from '../types/app.schema.ts';
import type { User } from '../types/directory.schema.ts';
import type { ApprovalKind, ScimResource, Task, TaskActionName } from '../types/task.schema.ts';

export const intentOf = (action: TaskActionName): Intent =>
  action === 'delete' ? 'absent' : action === 'suspend' ? 'suspended' : 'active';

/** The resource the target should hold once `task` is pushed. */
export const desiredResourceOf = (task: Task): ScimResource | null => task.resource;

/** What the target should hold once everything approved or awaiting approval has been pushed. */
export interface Baseline {
  intent: Intent | null;
  resource: ScimUser | null;
  groups: string[];
}

export interface TaskPlan {
  kind: 'task';
  action: TaskActionName;
  approvalKind: ApprovalKind;
  /** What the target should hold once the task is pushed; null for a delete. */
  resource: ScimUser | null;
  groups: string[];
}

export type Plan = TaskPlan | { kind: 'none' } | { kind: 'skip'; message: string };

/** The approved state, or the state the pending task would bring, whichever is newer. */
export function baselineOf(appUser: AppUserRecord | undefined, pending: Task | undefined): Baseline {
  if (pending)
    return { intent: intentOf(pending.action), resource: desiredResourceOf(pending), groups: pending.groups };
  return {
    intent: appUser?.intent ?? null,
    resource: appUser?.intentResource ?? null,
    groups: appUser?.intentGroups ?? [],
  };
}

const sameGroups = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const approvalFor = (action: TaskActionName): ApprovalKind =>
  action === 'create' ? 'create' : action === 'delete' ? 'delete' : 'update';

/** The user is (still) assigned: create, update, suspend or reactivate when the SCIM resource really changes. */
export function planPresence(app: AppRecord, user: User, baseline: Baseline): Plan {
  const effective = app.provisioning.onSuspend === 'none' ? { ...user, status: 'active' as const } : user;
  const { resource, groups } = applyRules(
    app.rules,
    effective,
    buildScimUser(app.connector, effective, app.parameters),
    desiredGroups(app.connector, effective, app.parameters),
  );
  const onTarget = baseline.intent === 'active' || baseline.intent === 'suspended';
  if (!onTarget) {
    if (!resource.active) return { kind: 'none' };
    return { kind: 'task', action: 'create', approvalKind: 'create', resource, groups };
  }
  const previous = baseline.resource;
  if (previous && scimResourcesEqual(resource, previous) && sameGroups(groups, baseline.groups))
    return { kind: 'none' };
  const onlyActiveChanged =
    previous !== null &&
    previous.active !== resource.active &&
    scimResourcesEqual({ ...resource, active: previous.active }, previous) &&
    sameGroups(groups, baseline.groups);
  const action: TaskActionName = onlyActiveChanged ? (resource.active ? 'reactivate' : 'suspend') : 'update';
  return { kind: 'task', action, approvalKind: approvalFor(action), resource, groups };
}

/**
 * The user lost the app or left the directory: the app's onDelete action, if the target holds an account
 * (as approved, or as a push found it: a create that raced the unassign still left one).
 */
export function planDeprovision(app: AppRecord, appUser: AppUserRecord | undefined): Plan {
  const approvedOnTarget = appUser?.intent === 'active' || appUser?.intent === 'suspended';
  const accountExists =
    ((appUser?.externalId ?? null) !== null || (appUser?.creating ?? null) !== null) &&
    appUser?.intent !== 'absent';
  if (!approvedOnTarget && !accountExists)
    return { kind: 'skip', message: 'Nothing to deprovision: the user was never provisioned to the target.' };
  const onDelete = app.provisioning.onDelete;
  if (onDelete === 'none')
    return {
      kind: 'skip',
      message: 'Deprovisioning action is "Do nothing": the account is left on the target.',
    };
  if (onDelete === 'delete')
    return { kind: 'task', action: 'delete', approvalKind: 'delete', resource: null, groups: [] };
  const current = approvedOnTarget
    ? appUser?.intentResource
    : (appUser?.pushedResource ?? appUser?.intentResource);
  if (!current || appUser?.intent === 'suspended') return { kind: 'none' };
  return {
    kind: 'task',
    action: 'suspend',
    approvalKind: 'delete',
    resource: { ...current, active: false },
    groups: approvedOnTarget ? (appUser?.intentGroups ?? []) : (appUser?.pushedGroups ?? []),
  };
}

/**
 * The SCIM request pushing the task would send, diffed against what the target holds as far as
 * provisim knows: what was last pushed, else what was approved (a create still on its way).
 */
export const requestOf = (app: AppRecord, appUser: AppUserRecord | undefined, plan: TaskPlan) =>
  previewRequest({
    action: plan.action,
    dialect: app.configuration.dialect,
    patchSupported: app.configuration.patchSupported,
    resource: plan.resource,
    onTarget: appUser?.pushedResource ?? appUser?.intentResource ?? null,
  });
