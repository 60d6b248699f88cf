import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_USER_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import type { TargetUserView } from '../../shared/src/types/target-api.ts';
import { type Api, apiClient } from '../support/api-client.ts';
import { buildUser, createTargetOrg, setUpApp, waitIdle } from '../support/factories.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { appTab, type BrowserSession, goTo, openBrowser, signIn } from './support/browser.ts';

const WORKER_WAIT = { timeout: 30_000 };
const STRICT_TEMPLATE = JSON.stringify(
  {
    schemas: [CORE_USER_SCHEMA],
    userName: '{$parameters.scimusername}',
    displayName: '{$user.display_name}',
    externalId: '{$user.id}',
  },
  null,
  2,
);

/** The seed's "Assigning groups in Calendly" with the SCIM Provisioner app, then drift and its repair, in the console. */
describe('SCIM Provisioner: template, groups, simulation and import in a real browser', () => {
  let stack: TestStack;
  let api: Api;
  let browser: BrowserSession;

  beforeAll(async () => {
    stack = await startStack();
    api = apiClient(stack.apiUrl, stack.adminToken);
    browser = await openBrowser('scim-provisioner', stack.apiUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('a strict Calendly org gets a group per department, and an out-of-band rename is imported and reconciled', async () => {
    const { page, shot } = browser;
    const org = await createTargetOrg(api, { name: 'Groups Inc.', strictAttributes: true });
    const appId = await setUpApp(api, {
      connector: 'scim-generic',
      scimBaseUrl: org.scimBaseUrl,
      token: org.token,
      custom: [{ name: 'Department', source: 'department', target: 'groups' }],
      requireApproval: { create: false, update: false, delete: true },
    });
    const ada = await api.ok(
      'POST',
      '/api/users',
      buildUser({ firstname: 'Ada', department: 'Engineering' }),
    );

    await signIn(page, stack.apiUrl, stack.adminToken);
    await goTo(page, 'Applications');
    await page.getByRole('table').getByRole('link', { name: 'App', exact: true }).click();
    await appTab(page, 'Parameters');
    const editor = page.getByLabel('SCIM JSON Template');
    await editor.fill('{\n  "userName": "{$parameters.scimusername}",\n  "title": "{$user.jobtitle}"\n}');
    await page.getByRole('button', { name: 'Save template' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'unknown macro' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('line 3, column 13 ($.title)');
    await shot('template-refused');

    await editor.fill(STRICT_TEMPLATE);
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.getByLabel('Find a user to preview').fill('Ada');
    await page.getByLabel('Preview as').selectOption({ label: `Ada ${ada.lastname} (${ada.email})` });
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.locator('[data-label="SCIM user"]');
    await preview.waitFor();
    expect(JSON.parse((await preview.textContent()) ?? '')).toEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: ada.email,
      displayName: `Ada ${ada.lastname}`,
      externalId: ada.id,
      active: true,
    });
    await page.getByText('Groups: Engineering').waitFor();
    await shot('template-preview');

    await api.ok('POST', `/api/apps/${appId}/users`, { userId: ada.id }, [201]);
    await waitIdle(api, appId);

    await goTo(page, 'Calendly');
    await page.getByRole('link', { name: 'Groups Inc.' }).click();
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.locator('tr[data-group="Engineering"]').getByText(ada.email).waitFor(WORKER_WAIT);
    await shot('calendly-groups');

    // Calendly leaves SCIM-managed people to the IdP: People offers no way to remove anyone.
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.locator(`tr[data-user="${ada.email}"]`).waitFor();
    expect(
      await page
        .locator('.card')
        .getByRole('button', { name: /remove|delete/i })
        .count(),
    ).toBe(0);

    await page.getByRole('link', { name: 'Simulation', exact: true }).click();
    await page.getByRole('heading', { name: 'Simulation: change a person out of band' }).waitFor();
    await page.getByLabel('Person to change').selectOption({ label: ada.email });
    await page.getByLabel('Display name').fill('Ada (renamed in Calendly)');
    await page.getByRole('button', { name: 'Rename in Calendly' }).click();
    const people = async () => api.all<TargetUserView>(`/target-api/orgs/${org.orgId}/users`);
    await expect.poll(async () => (await people())[0]?.displayName).toBe('Ada (renamed in Calendly)');
    await shot('simulated-rename');

    await goTo(page, 'Applications');
    await page.getByRole('table').getByRole('link', { name: 'App', exact: true }).click();
    await appTab(page, 'Import');
    await page.getByRole('button', { name: 'Import from app' }).click();
    const row = page.locator(`tr[data-account="${ada.email}"]`);
    await row.getByText(`displayName: "Ada (renamed in Calendly)" → "Ada ${ada.lastname}"`).waitFor();
    await shot('import-drift');
    await row.getByRole('button', { name: 'Reconcile' }).click();
    await row.getByText('reconcile: queued').waitFor();
    await waitIdle(api, appId);
    expect((await people())[0]?.displayName).toBe(`Ada ${ada.lastname}`);
    await page.getByRole('button', { name: 'Import from app' }).click();
    await row.getByText('Matched, linked').waitFor();
    await shot('import-reconciled');
  });
});
