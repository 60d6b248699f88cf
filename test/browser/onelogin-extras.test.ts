import { describe, expect, it } from 'vitest';
import { buildUser, createTargetOrg, setUpApp, waitIdle } from '../support/factories.ts';
import { targetUsers } from '../support/target-org.ts';
import { appTab, useBrowserStack } from './support/browser.ts';

const WORKER_WAIT = { timeout: 30_000 };

/** Deletion safety's banner, Provision now on App > Users, and the Rules tab, in a real browser. */
describe('Deletion hold, provision on demand and rules in the console', () => {
  const opened = useBrowserStack('onelogin-extras');

  it('the app shows held deprovisions with Allow naming the count; Allow deletes them on the target', async () => {
    const { stack, api, browser } = opened();
    const { page, shot } = browser;
    const org = await createTargetOrg(api);
    const appId = await setUpApp(api, {
      scimBaseUrl: org.scimBaseUrl,
      token: org.token,
      requireApproval: { create: false, update: false, delete: false },
      onDelete: 'delete',
    });
    await api.ok('PUT', `/api/apps/${appId}/deletion-safety`, {
      enabled: true,
      threshold: 1,
      windowSeconds: 600,
    });
    const users = await Promise.all([0, 1].map(() => api.ok('POST', '/api/users', buildUser())));
    const role = await api.ok('POST', '/api/roles', { name: 'Held role' });
    await api.ok('PUT', `/api/roles/${role.id}/users`, { userIds: users.map((u) => u.id) });
    await api.ok('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
    await waitIdle(api, appId);
    await api.ok('PUT', `/api/roles/${role.id}/apps`, { appIds: [] });
    await waitIdle(api, appId);

    await page.goto(`${stack.apiUrl}/apps/${appId}/provisioning`);
    const banner = page.getByRole('alert', { name: 'Deletion hold' });
    await banner.getByText('2 deletes or suspends are held').waitFor();
    await page.getByLabel('Accidental deletion threshold').waitFor();
    await shot('deletion-hold');
    expect(await targetUsers(api, org.orgId)).toHaveLength(2);
    await banner.getByRole('button', { name: 'Allow 2 deprovisions' }).click();
    await banner.waitFor({ state: 'detached' });
    await waitIdle(api, appId);
    expect(await targetUsers(api, org.orgId)).toEqual([]);
  });

  it('Provision now on a row whose create was denied plans it again, approves and pushes it, and lists the steps', async () => {
    const { stack, api, browser } = opened();
    const { page, shot } = browser;
    const org = await createTargetOrg(api);
    const appId = await setUpApp(api, { scimBaseUrl: org.scimBaseUrl, token: org.token });
    const user = await api.ok('POST', '/api/users', buildUser());
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);
    const [pending] = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    await api.ok('POST', `/api/apps/${appId}/tasks/${pending.id}/deny`);

    await page.goto(`${stack.apiUrl}/apps/${appId}/users`);
    const row = page.locator(`tr[data-user="${user.email}"]`);
    await row.getByRole('button', { name: 'Provision now' }).click();
    const result = page.getByRole('status', { name: 'Provision on demand' });
    await result.getByText('Provisioned now').waitFor(WORKER_WAIT);
    await result.getByText(/succeeded: POST \S*\/Users/).waitFor();
    await shot('provision-now');
    expect((await targetUsers(api, org.orgId)).map((u) => u.userName)).toEqual([user.email]);
  });

  it('the Rules tab adds a rule, shows whom it matches, and plans the update tasks', async () => {
    const { stack, api, browser } = opened();
    const { page, shot } = browser;
    const org = await createTargetOrg(api, { strictAttributes: false });
    const appId = await setUpApp(api, {
      connector: 'scim-generic',
      scimBaseUrl: org.scimBaseUrl,
      token: org.token,
    });
    const ada = await api.ok('POST', '/api/users', buildUser({ firstname: 'Ada', department: 'Research' }));
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: ada.id }, [201]);
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);

    await page.goto(`${stack.apiUrl}/apps/${appId}/users`);
    await appTab(page, 'Rules');
    await page.getByLabel('Name').fill('Researchers');
    await page.getByLabel('Value').fill('research');
    await page.getByLabel('Set groups (comma-separated)').fill('Lab');
    await page.getByLabel('Set entitlements (comma-separated)').fill('microscope');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: 1 tasks awaiting approval' }).waitFor();
    const rule = page.locator('li[data-rule="Researchers"]');
    await rule.getByRole('button', { name: 'Matches' }).click();
    await rule.getByRole('status', { name: 'Rule matches' }).getByText(ada.email, { exact: false }).waitFor();
    await shot('rules');
    const pending = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    expect(pending).toEqual([expect.objectContaining({ userId: ada.id, action: 'update', groups: ['Lab'] })]);

    // The group, once pushed, renamed from the Rules tab: the target's group keeps its member.
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);
    await page.getByLabel('Group to rename').selectOption('Lab');
    await page.getByLabel('New name').fill('Lab Team');
    await page.getByRole('button', { name: 'Rename group' }).click();
    await page.getByRole('status').filter({ hasText: 'Renamed on the target: 1 users keep' }).waitFor();
    await rule.getByText('groups [Lab Team]').waitFor();
    const groups = await api.all<{ displayName: string; members: { userName: string }[] }>(
      `/target-api/orgs/${org.orgId}/groups`,
    );
    expect(groups.map((g) => [g.displayName, g.members.map((m) => m.userName)])).toEqual([
      ['Lab Team', [ada.email]],
    ]);
  });
});
