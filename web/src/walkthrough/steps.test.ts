import { describe, expect, it } from 'vitest';
import type { App, Org, OrgUser } from '../api/types.ts';
import { walkthroughSteps } from './steps.ts';

const org = (overrides: Partial<Org> = {}): Org => ({
  id: 'org-1',
  name: 'Acme Inc.',
  scimBaseUrl: 'http://127.0.0.1:3100/scim/v2/org-1',
  sso: { configured: false, enforced: false },
  scimEnabled: false,
  strictAttributes: true,
  seatLimit: null,
  token: null,
  createdAt: '2026-11-28T09:00:00.000Z',
  ...overrides,
});

const app = (overrides: Partial<App> = {}): App => ({
  id: 'app-1',
  connector: 'calendly',
  name: 'Calendly',
  createdAt: '2026-01-01T00:00:00.000Z',
  configuration: { scimBaseUrl: null, scimBearerToken: null, dialect: 'onelogin', apiConnection: 'disabled' },
  quarantine: null,
  parameters: { scimUsername: null, custom: [] },
  provisioning: {
    enabled: false,
    requireApproval: { create: true, update: true, delete: true },
    onDelete: 'suspend',
    onSuspend: 'suspend',
    concurrency: 16,
    rateLimitPerSecond: null,
  },
  counts: { assigned: 0, pending: 0, provisioned: 0, failed: 0 },
  deletionHold: null,
  ...overrides,
});

const accepted: OrgUser = {
  scimId: 's1',
  userName: 'ada@acme.example',
  displayName: 'Ada Lovelace',
  externalId: 'u1',
  active: true,
  invitation: 'accepted',
  email: 'ada@acme.example',
  pendingEmail: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

const done = (steps: ReturnType<typeof walkthroughSteps>) => steps.filter((s) => s.done).map((s) => s.id);

describe('walkthroughSteps', () => {
  it('ticks nothing on an empty install and points the first step at the Calendly side', () => {
    const steps = walkthroughSteps({ apps: [], orgs: [], orgUsers: [], logHasPush: false });
    expect(done(steps)).toEqual([]);
    expect(steps[0]?.link).toBe('/calendly');
    expect(steps.find((s) => s.id === 'app')?.link).toBe('/apps/new');
  });

  it('follows the org the Calendly app points at, not the first org', () => {
    const other = org({ id: 'org-0', scimBaseUrl: 'http://x/scim/v2/org-0' });
    const target = org({ sso: { configured: true, enforced: true }, scimEnabled: true });
    const configured = app({
      configuration: {
        scimBaseUrl: target.scimBaseUrl,
        scimBearerToken: '••••abcd',
        dialect: 'onelogin',
        apiConnection: 'enabled',
      },
    });
    const steps = walkthroughSteps({
      apps: [configured],
      orgs: [other, target],
      orgUsers: [],
      logHasPush: false,
    });
    expect(done(steps)).toEqual(['sso', 'scim-on', 'app', 'base-url', 'token', 'enable']);
    expect(steps[0]?.link).toBe('/calendly/org-1');
  });

  it('needs SSO both configured and enforced, and approval means nothing left pending', () => {
    const half = org({ sso: { configured: true, enforced: false } });
    const waiting = app({ counts: { assigned: 2, pending: 1, provisioned: 1, failed: 0 } });
    const steps = walkthroughSteps({ apps: [waiting], orgs: [half], orgUsers: [accepted], logHasPush: true });
    expect(done(steps)).toEqual(['app', 'assign', 'log', 'invitation']);
  });

  it('ticks Suspend on delete only once Provisioning was saved with it, not from the default', () => {
    const fresh = walkthroughSteps({ apps: [app()], orgs: [], orgUsers: [], logHasPush: false });
    expect(done(fresh)).not.toContain('on-delete');
    const saved = app({ provisioning: { ...app().provisioning, enabled: true, onDelete: 'suspend' } });
    const steps = walkthroughSteps({ apps: [saved], orgs: [], orgUsers: [], logHasPush: false });
    expect(done(steps)).toContain('on-delete');
  });

  it('prefers a Calendly app over a generic one', () => {
    const generic = app({ id: 'generic', connector: 'scim-generic', name: 'SCIM' });
    const steps = walkthroughSteps({ apps: [generic, app()], orgs: [], orgUsers: [], logHasPush: false });
    expect(steps.find((s) => s.id === 'parameters')?.link).toBe('/apps/app-1/parameters');
  });
});
