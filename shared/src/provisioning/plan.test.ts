import { describe, expect, it } from 'vitest';
import type { ScimUser } from '../mapping/scim-user.ts';
import type { AppUserRecord } from '../store/app-users.store.ts';
import type { AppRecord } from '../types/app.schema.ts';
import type { User } from '../types/directory.schema.ts';
import { planDeprovision, planPresence, requestOf, type TaskPlan } from './plan.ts';

const app = (
  overrides: Partial<AppRecord['provisioning']> = {},
  connection: Partial<AppRecord['configuration']> = {},
): AppRecord => ({
  id: 'app',
  connector: 'calendly',
  name: 'Calendly',
  createdAt: '2026-01-01T00:00:00.000Z',
  configuration: {
    scimBaseUrl: null,
    scimBearerToken: null,
    dialect: 'onelogin',
    apiConnection: 'enabled',
    ...connection,
  },
  quarantine: null,
  parameters: { scimUsername: 'email', custom: [] },
  provisioning: {
    enabled: true,
    requireApproval: { create: true, update: true, delete: true },
    onDelete: 'suspend',
    onSuspend: 'suspend',
    concurrency: 4,
    rateLimitPerSecond: null,
    ...overrides,
  },
});

const user: User = {
  id: 'u1',
  firstname: 'Ada',
  lastname: 'Lovelace',
  email: 'ada@example.test',
  username: 'ada',
  department: null,
  title: null,
  custom: {},
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const provisioned = (plan: ReturnType<typeof planPresence>): AppUserRecord => {
  if (plan.kind !== 'task') throw new Error('expected a task');
  return {
    userId: 'u1',
    email: user.email,
    state: 'provisioned',
    assigned: true,
    pendingTaskId: null,
    externalId: 'scim-1',
    lastError: null,
    updatedAt: '',
    creating: null,
    rev: '1',
    intent: 'active',
    intentResource: plan.resource,
    intentGroups: plan.groups,
    pushedResource: plan.resource,
    pushedGroups: plan.groups,
  };
};
const baselineOf = (r: AppUserRecord) => ({
  intent: r.intent,
  resource: r.intentResource,
  groups: r.intentGroups,
});

describe('planPresence / planDeprovision', () => {
  const created = planPresence(app(), user, { intent: null, resource: null, groups: [] });
  const record = provisioned(created);

  it('creates when the target holds nothing, and nothing when nothing changed', () => {
    expect(created).toMatchObject({ kind: 'task', action: 'create', approvalKind: 'create' });
    expect(planPresence(app(), { ...user, title: 'not mapped by calendly' }, baselineOf(record))).toEqual({
      kind: 'none',
    });
  });

  it('updates on a mapped change; suspend and reactivate are updates for approval', () => {
    expect(planPresence(app(), { ...user, lastname: 'Byron' }, baselineOf(record))).toMatchObject({
      action: 'update',
    });
    const suspend = planPresence(app(), { ...user, status: 'suspended' }, baselineOf(record));
    expect(suspend).toMatchObject({ action: 'suspend', approvalKind: 'update', resource: { active: false } });
    expect(
      planPresence(app({ onSuspend: 'none' }), { ...user, status: 'suspended' }, baselineOf(record)),
    ).toEqual({ kind: 'none' });
  });

  it('deprovisions per onDelete, and skips a user the target never held', () => {
    expect(planDeprovision(app({ onDelete: 'delete' }), record)).toMatchObject({
      action: 'delete',
      approvalKind: 'delete',
    });
    expect(planDeprovision(app(), record)).toMatchObject({ action: 'suspend', approvalKind: 'delete' });
    expect(planDeprovision(app({ onDelete: 'none' }), record)).toMatchObject({ kind: 'skip' });
    expect(planDeprovision(app(), { ...record, intent: null, externalId: null })).toMatchObject({
      kind: 'skip',
    });
  });

  it('deprovisions an account a push left after its create was called off (unassigned mid-push)', () => {
    const leftover = { ...record, intent: null, intentResource: null, intentGroups: [] };
    expect(planDeprovision(app(), leftover)).toMatchObject({
      action: 'suspend',
      resource: { ...record.pushedResource, active: false },
      groups: record.pushedGroups,
    });
    expect(planDeprovision(app({ onDelete: 'delete' }), leftover)).toMatchObject({ action: 'delete' });
  });
});

describe('requestOf', () => {
  const record = provisioned(planPresence(app(), user, { intent: null, resource: null, groups: [] }));
  const renamed = { ...user, lastname: 'Byron' };
  const taskOf = (plan: ReturnType<typeof planPresence>): TaskPlan => {
    if (plan.kind !== 'task') throw new Error('expected a task');
    return plan;
  };
  const update = (target: AppRecord) => taskOf(planPresence(target, renamed, baselineOf(record)));
  const entra = app({}, { dialect: 'entra' });
  const renameOps = [{ op: 'Replace', path: 'displayName', value: 'Ada Byron' }];

  it('PUTs the whole resource for a PUT dialect, POSTs a create, DELETEs without body', () => {
    const plan = update(app());
    expect(requestOf(app(), record, plan)).toEqual({ method: 'PUT', body: plan.resource });
    const create = taskOf(planPresence(entra, user, { intent: null, resource: null, groups: [] }));
    expect(requestOf(entra, undefined, create)).toEqual({ method: 'POST', body: create.resource });
    const remove = taskOf(planDeprovision(app({ onDelete: 'delete' }, { dialect: 'entra' }), record));
    expect(requestOf(entra, record, remove)).toEqual({ method: 'DELETE', body: null });
  });

  it('diffs a PATCH against what was pushed, else against what was approved', () => {
    const plan = update(entra);
    expect(requestOf(entra, record, plan).body).toMatchObject({ Operations: renameOps });
    const pushed = { ...record.intentResource, nickName: 'Ada' } as ScimUser;
    expect(requestOf(entra, { ...record, pushedResource: pushed }, plan).body).toMatchObject({
      Operations: [...renameOps, { op: 'Remove', path: 'nickName' }],
    });
    const createOnItsWay = { ...record, externalId: null, pushedResource: null };
    expect(requestOf(entra, createOnItsWay, plan).body).toMatchObject({ Operations: renameOps });
    const suspend = taskOf(planDeprovision(entra, record));
    expect(requestOf(entra, record, suspend)).toMatchObject({
      method: 'PATCH',
      body: { Operations: [{ op: 'Replace', path: 'active', value: false }] },
    });
  });

  it('rfc follows the PATCH support Enable recorded', () => {
    const rfc = (patchSupported: boolean) => app({}, { dialect: 'rfc', patchSupported });
    expect(requestOf(rfc(true), record, update(rfc(true))).method).toBe('PATCH');
    expect(requestOf(rfc(false), record, update(rfc(false))).method).toBe('PUT');
  });
});
