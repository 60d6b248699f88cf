import { describe, expect, it } from 'vitest';
import type { AppUserRecord } from '../../../shared/src/store/app-users.store.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import type { User } from '../../../shared/src/types/directory.schema.ts';
import { planDeprovision, planPresence } from './plan-task.ts';

const app = (overrides: Partial<AppRecord['provisioning']> = {}): AppRecord => ({
  id: 'app',
  connector: 'calendly',
  name: 'Calendly',
  createdAt: '2026-01-01T00:00:00.000Z',
  configuration: { scimBaseUrl: null, scimBearerToken: null, dialect: 'onelogin', apiConnection: 'enabled' },
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
    intent: 'active',
    intentResource: plan.preview,
    intentGroups: plan.groups,
    pushedResource: plan.preview,
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
    expect(suspend).toMatchObject({ action: 'suspend', approvalKind: 'update', preview: { active: false } });
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
    expect(planDeprovision(app(), { ...record, intent: null })).toMatchObject({ kind: 'skip' });
  });
});
