import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { appTab, type BrowserSession, goTo, openBrowser, signIn } from './support/browser.ts';

const WORKER_WAIT = { timeout: 30_000 };
const UI_WAIT = { timeout: 15_000 };

const row = (page: Page, email: string) => page.locator(`tr[data-user="${email}"]`);

const orgTab = (page: Page, tab: string) =>
  page
    .getByRole('navigation', { name: 'Organization settings' })
    .getByRole('link', { name: tab, exact: true })
    .click();

/** Clicks a controlled checkbox or switch and waits until the server's state shows it. */
const toggleTo = async (page: Page, name: string, role: 'checkbox' | 'switch' = 'checkbox') => {
  const box = page.getByRole(role, { name });
  await box.click();
  await expect.poll(() => box.isChecked(), UI_WAIT).toBe(true);
};

const approveRow = async (page: Page, email: string) => {
  await row(page, email).locator('.badge-pending').waitFor(WORKER_WAIT);
  await row(page, email).getByRole('button', { name: 'Approve' }).click();
};

describe('the Calendly walkthrough in a real browser', () => {
  let stack: TestStack;
  let browser: BrowserSession;

  beforeAll(async () => {
    stack = await startStack();
    browser = await openBrowser('walkthrough', stack.apiUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('goes from an empty app to provisioned, suspended and deleted users seen on the Calendly side', async () => {
    const { context, shot, readClipboard } = browser;
    const copy = async (page: Page, button: string) => {
      await page.getByRole('button', { name: button }).click();
      await page.getByRole('button', { name: button }).getByText('✓ Copied').waitFor();
      return readClipboard(page);
    };
    const onelogin = browser.page;
    await signIn(onelogin, stack.apiUrl, stack.adminToken);

    // The trainer starts from a clean demo: one Calendly org and a few sample users.
    await onelogin.getByRole('button', { name: 'Reset demo' }).click();
    await onelogin.getByRole('dialog').getByRole('button', { name: 'Reset' }).click();
    await goTo(onelogin, 'Users');
    await row(onelogin, 'ada.lovelace@acme.example').waitFor();
    await shot('reset-demo');

    // "Open Calendly in one browser window and OneLogin in another."
    const calendly = await context.newPage();
    await signIn(calendly, stack.apiUrl, stack.adminToken);
    await goTo(calendly, 'Calendly');
    await calendly.getByRole('link', { name: 'Acme Inc.' }).click();
    await calendly.getByRole('heading', { name: 'Single sign-on' }).waitFor();
    await toggleTo(calendly, 'SAML SSO configured');
    await toggleTo(calendly, 'Enforce SAML SSO for all members');
    await toggleTo(calendly, 'SCIM provisioning', 'switch');
    await shot('calendly-scim-on', calendly);

    await onelogin.bringToFront();
    await goTo(onelogin, 'Applications');
    await onelogin.getByRole('link', { name: 'Add App', exact: true }).click();
    await onelogin.getByRole('button', { name: /^Calendly/ }).click();
    await onelogin.getByRole('button', { name: 'Save', exact: true }).click();
    await onelogin.getByRole('heading', { name: 'Configuration' }).waitFor();
    await shot('app-added');

    const baseUrl = await copy(calendly, 'Copy Base URL');
    expect(baseUrl).toBe(await calendly.getByLabel('Base URL').inputValue());
    await onelogin.bringToFront();
    await onelogin.getByLabel('SCIM Base URL').fill(baseUrl);

    await calendly.bringToFront();
    await calendly.getByLabel('Token lifetime').selectOption({ label: '30 days' });
    await calendly.getByRole('button', { name: 'Generate new bearer token' }).click();
    const token = await copy(calendly, 'Copy token');
    expect(token).toBe(await calendly.getByLabel('Bearer token').inputValue());
    await shot('calendly-token', calendly);

    await onelogin.bringToFront();
    await onelogin.getByLabel('SCIM Bearer Token').fill(token);
    await onelogin.getByRole('button', { name: 'Enable' }).click();
    await onelogin.locator('.connection .badge-enabled').waitFor();
    await onelogin.getByRole('button', { name: 'Save', exact: true }).click();
    await onelogin.getByText('Configuration saved').waitFor();
    expect(await onelogin.locator('.connection .badge').textContent()).toBe('Enabled');
    await shot('configuration-enabled');

    await appTab(onelogin, 'Parameters');
    await onelogin.getByLabel('SCIM Username').selectOption({ label: 'Email' });
    await onelogin.getByRole('button', { name: 'Save', exact: true }).click();
    await onelogin.getByText('Saved', { exact: true }).waitFor();
    await shot('parameters');

    await appTab(onelogin, 'Provisioning');
    await onelogin.getByLabel('Enable provisioning').check();
    for (const action of ['Create user', 'Delete user', 'Update user'])
      expect(await onelogin.getByRole('checkbox', { name: action }).isChecked()).toBe(true);
    await onelogin.getByLabel(/When users are deleted in OneLogin/).selectOption({ label: 'Suspend' });
    await onelogin.getByRole('button', { name: 'Save', exact: true }).click();
    await onelogin.getByText('Saved', { exact: true }).waitFor();
    await shot('provisioning');

    // A new hire, then three users assigned to the app: each waits for approval.
    await goTo(onelogin, 'Users');
    await onelogin.getByRole('button', { name: 'New User' }).click();
    await onelogin.getByLabel('First name').fill('Dana');
    await onelogin.getByLabel('Last name').fill('Scully');
    await onelogin.getByLabel('Email').fill('dana.scully@acme.example');
    await onelogin.getByLabel('Department').fill('Investigations');
    await onelogin.getByRole('button', { name: 'Save User' }).click();
    await row(onelogin, 'dana.scully@acme.example').waitFor();
    await shot('user-created');

    await goTo(onelogin, 'Applications');
    await onelogin.getByRole('table').getByRole('link', { name: 'Calendly' }).click();
    await appTab(onelogin, 'Users');
    const assigned = [
      ['Ada Lovelace', 'ada.lovelace@acme.example'],
      ['Grace Hopper', 'grace.hopper@acme.example'],
      ['Dana Scully', 'dana.scully@acme.example'],
    ];
    for (const [name, email] of assigned) {
      await onelogin.getByLabel('User to assign').selectOption({ label: `${name} (${email})` });
      await onelogin.getByRole('button', { name: 'Assign to app' }).click();
      await row(onelogin, email ?? '')
        .locator('.badge-pending')
        .waitFor();
    }
    await shot('assigned-pending');

    await onelogin.getByRole('button', { name: 'Bulk approve 3 pending' }).click();
    await onelogin.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    for (const [, email] of assigned)
      await row(onelogin, email ?? '')
        .locator('.badge-provisioned')
        .waitFor(WORKER_WAIT);
    await shot('bulk-approved');

    // On the Calendly side the users exist and must accept their invitation.
    await calendly.bringToFront();
    await orgTab(calendly, 'People');
    await row(calendly, 'ada.lovelace@acme.example').locator('.badge-pending').waitFor();
    await row(calendly, 'ada.lovelace@acme.example')
      .getByRole('button', { name: 'Accept invitation' })
      .click();
    await row(calendly, 'ada.lovelace@acme.example').locator('.badge-accepted').waitFor();
    await shot('calendly-people', calendly);

    // Every step of the walkthrough is now ticked from real state.
    await onelogin.bringToFront();
    await expect.poll(() => onelogin.locator('[data-step][data-done="false"]').count(), WORKER_WAIT).toBe(0);
    await shot('walkthrough-complete');

    // An update needs approval: approve it alone, after reading the SCIM body it would send.
    await goTo(onelogin, 'Users');
    await row(onelogin, 'ada.lovelace@acme.example').getByRole('link', { name: 'Ada Lovelace' }).click();
    await onelogin.getByLabel('Last name').fill('King');
    await onelogin.getByRole('button', { name: 'Save User' }).click();
    await onelogin.getByRole('heading', { name: 'Ada King' }).waitFor();
    await onelogin.getByRole('table').getByRole('link', { name: 'Calendly' }).click();
    await row(onelogin, 'ada.lovelace@acme.example').getByRole('button', { name: 'Preview' }).click();
    await onelogin.locator('[data-label="SCIM preview"]').filter({ hasText: 'Ada King' }).waitFor();
    await shot('update-preview');
    await approveRow(onelogin, 'ada.lovelace@acme.example');
    await row(onelogin, 'ada.lovelace@acme.example').locator('.badge-provisioned').waitFor(WORKER_WAIT);

    await onelogin.getByRole('button', { name: 'Apply to all ▾' }).click();
    await onelogin.getByRole('button', { name: 'Reapply Mappings' }).click();
    // Its plan first: every user is already in line, so there is nothing to confirm.
    const plan = onelogin.getByRole('dialog', { name: 'Reapply Mappings' });
    await plan.getByText('Nothing to do: every user is already in line.').waitFor();
    expect(await plan.getByRole('button', { name: 'Reapply' }).isDisabled()).toBe(true);
    await shot('reapply-mappings');
    await plan.getByRole('button', { name: 'Cancel' }).click();

    // Losing app access with Suspend: the Calendly account stays, suspended.
    await row(onelogin, 'grace.hopper@acme.example').getByRole('button', { name: 'Remove' }).click();
    await onelogin.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await approveRow(onelogin, 'grace.hopper@acme.example');
    await row(onelogin, 'grace.hopper@acme.example').locator('.badge-suspended').waitFor(WORKER_WAIT);
    await shot('suspended');

    // Deleting with Delete: the Calendly account and its data go.
    await appTab(onelogin, 'Provisioning');
    await onelogin.getByLabel(/When users are deleted in OneLogin/).selectOption({ label: 'Delete' });
    await onelogin.getByRole('alert').filter({ hasText: 'non-reversible' }).waitFor();
    await onelogin.getByRole('button', { name: 'Save', exact: true }).click();
    await onelogin.getByText('Saved', { exact: true }).waitFor();
    await goTo(onelogin, 'Users');
    await row(onelogin, 'dana.scully@acme.example').getByRole('button', { name: 'Delete' }).click();
    await onelogin.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await row(onelogin, 'dana.scully@acme.example').waitFor({ state: 'detached' });
    await goTo(onelogin, 'Applications');
    await onelogin.getByRole('table').getByRole('link', { name: 'Calendly' }).click();
    await appTab(onelogin, 'Users');
    await approveRow(onelogin, 'dana.scully@acme.example');
    await expect
      .poll(
        () =>
          onelogin
            .locator('tr[data-user="dana.scully@acme.example"]:not(:has(.badge-deprovisioned))')
            .count(),
        WORKER_WAIT,
      )
      .toBe(0);
    await shot('deleted');

    await calendly.bringToFront();
    await row(calendly, 'grace.hopper@acme.example').locator('.badge-suspended').waitFor();
    await row(calendly, 'dana.scully@acme.example').waitFor({ state: 'detached', ...WORKER_WAIT });
    await row(calendly, 'ada.lovelace@acme.example').getByText('Ada King').waitFor();
    await shot('calendly-after-deprovisioning', calendly);

    // Users > Provisioning, All Apps > Calendly: every step is in the log with its request and response.
    await onelogin.bringToFront();
    await goTo(onelogin, 'Provisioning');
    await onelogin.getByLabel('App', { exact: true }).selectOption({ label: 'Calendly' });
    await onelogin.getByLabel('Status', { exact: true }).selectOption({ label: 'succeeded' });
    for (const action of ['create', 'update', 'suspend', 'delete']) {
      await onelogin.getByLabel('Action', { exact: true }).selectOption(action);
      await expect
        .poll(() => onelogin.locator(`tr[data-push]:not([data-action="${action}"])`).count(), UI_WAIT)
        .toBe(0);
      const event = onelogin.locator(`tr[data-action="${action}"][data-status="succeeded"]`).first();
      await event.waitFor();
      await event.getByRole('button').first().click();
      await onelogin.getByRole('heading', { name: 'Response' }).waitFor();
      await shot(`log-${action}`);
    }
    const createBody = onelogin.locator('[data-label="Request body"]');
    await onelogin.getByLabel('Action', { exact: true }).selectOption('create');
    await onelogin
      .locator('tr[data-action="create"][data-scim="POST"]')
      .first()
      .getByRole('button')
      .first()
      .click();
    await createBody.first().waitFor();
    expect(await createBody.first().textContent()).toContain('urn:ietf:params:scim:schemas:core:2.0:User');
    await shot('log-create-request');

    // Live tail is connected, and the export holds the same events.
    await onelogin.getByText('● live').waitFor();
    const [download] = await Promise.all([
      onelogin.waitForEvent('download'),
      onelogin.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.split('\n')[0]).toContain('action');
    expect(csv.split('\n')[0]).toContain(',email,');
    expect(csv).toContain('POST');

    // A denied create: the user never reaches Calendly and cannot log in there.
    await goTo(onelogin, 'Applications');
    await onelogin.getByRole('table').getByRole('link', { name: 'Calendly' }).click();
    await appTab(onelogin, 'Users');
    await onelogin
      .getByLabel('User to assign')
      .selectOption({ label: 'Alan Turing (alan.turing@acme.example)' });
    await onelogin.getByRole('button', { name: 'Assign to app' }).click();
    await row(onelogin, 'alan.turing@acme.example').locator('.badge-pending').waitFor();
    await row(onelogin, 'alan.turing@acme.example').getByRole('button', { name: 'Deny' }).click();
    await row(onelogin, 'alan.turing@acme.example').locator('.badge-denied').waitFor();
    await shot('denied');
    await calendly.bringToFront();
    await calendly.getByLabel('Try to log in as').fill('alan.turing@acme.example');
    await calendly.getByRole('button', { name: 'Log in' }).click();
    await calendly.getByRole('alert').filter({ hasText: 'not_provisioned' }).waitFor();
    await calendly.getByLabel('Try to log in as').fill('ada.lovelace@acme.example');
    await calendly.getByRole('button', { name: 'Log in' }).click();
    await calendly.getByText('Logged in as ada.lovelace@acme.example.').waitFor();
    await shot('calendly-login-check', calendly);

    // The Calendly side's request journal holds the SCIM calls it received.
    await orgTab(calendly, 'Request journal');
    await calendly
      .locator('table.journal tr', { hasText: 'POST' })
      .filter({ hasText: '201' })
      .first()
      .waitFor();
    await shot('calendly-request-journal', calendly);
    await onelogin.bringToFront();

    // The overview counts what happened and charts the pushes of the last hour.
    await goTo(onelogin, 'Overview');
    // The chart polls its figures: wait for the pushes made above to be counted, not for the first render.
    const chart = onelogin.getByRole('img', { name: /^[1-9]\d* pushes and \d+ failures in the last hour/ });
    await chart.waitFor();
    const calendlyRow = onelogin
      .getByRole('row')
      .filter({ has: onelogin.getByRole('link', { name: 'Calendly' }) });
    // The apps table loads apart from the chart: wait for its row rather than read it once.
    await calendlyRow
      .getByRole('cell')
      .filter({ hasText: /^Enabled$/ })
      .waitFor();
    expect(await onelogin.getByTestId('health').textContent()).toMatch(/^Redis ok · [1-9]\d* workers?$/);
    await shot('overview');
  }, 300_000);
});
