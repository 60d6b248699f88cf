import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { appTab, type BrowserSession, goTo, openBrowser, signIn } from './support/browser.ts';

const WORKER_WAIT = { timeout: 30_000 };

const row = (page: Page, email: string) => page.locator(`tr[data-user="${email}"]`);

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** The REST API as a QA suite calls it, beside the browser. */
const restClient =
  (stack: TestStack): Call =>
  async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };

/** A provisioned Calendly app that needs no approval for creates, and three directory users. */
async function setUpApp(call: Call): Promise<{ orgName: string; userIds: Record<string, string> }> {
  const orgName = 'Seats Inc.';
  const org = await call<{ id: string; scimBaseUrl: string }>('POST', '/target-api/orgs', { name: orgName });
  await call('PUT', `/target-api/orgs/${org.id}/sso`, { configured: true, enforced: true });
  await call('PUT', `/target-api/orgs/${org.id}/scim`, { enabled: true });
  const { token } = await call<{ token: string }>('POST', `/target-api/orgs/${org.id}/tokens`, {
    lifetimeDays: 1,
  });
  const app = await call<{ id: string }>('POST', '/api/apps', { connector: 'calendly', name: 'Calendly' });
  await call('PUT', `/api/apps/${app.id}/configuration`, {
    scimBaseUrl: org.scimBaseUrl,
    scimBearerToken: token,
  });
  await call('POST', `/api/apps/${app.id}/configuration/enable`);
  await call('PUT', `/api/apps/${app.id}/parameters`, { scimUsername: 'email' });
  await call('PUT', `/api/apps/${app.id}/provisioning`, {
    enabled: true,
    requireApproval: { create: false, update: true, delete: true },
    onDelete: 'suspend',
    onSuspend: 'suspend',
  });
  const userIds: Record<string, string> = {};
  for (const [firstname, lastname] of [
    ['Eve', 'Moneypenny'],
    ['Frank', 'Drebin'],
    ['Gina', 'Linetti'],
  ]) {
    const email = `${firstname?.toLowerCase()}@seats.example`;
    userIds[email] = (await call<{ id: string }>('POST', '/api/users', { firstname, lastname, email })).id;
  }
  return { orgName, userIds };
}

describe('failures an admin meets, in a real browser', () => {
  let stack: TestStack;
  let browser: BrowserSession;
  let orgName: string;
  let userIds: Record<string, string>;
  let call: Call;

  beforeAll(async () => {
    stack = await startStack();
    call = restClient(stack);
    ({ orgName, userIds } = await setUpApp(call));
    browser = await openBrowser('failures', stack.apiUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the seat-limit error in full, retries it, and rides out a 503 with a retry', async () => {
    const { page, shot } = browser;
    await signIn(page, stack.apiUrl, stack.adminToken);

    const openSimulation = async () => {
      await goTo(page, 'Calendly');
      await page.getByRole('link', { name: orgName }).click();
      await page.getByRole('link', { name: 'Simulation', exact: true }).click();
    };
    const openAppUsers = async () => {
      await goTo(page, 'Applications');
      await page.getByRole('table').getByRole('link', { name: 'Calendly' }).click();
      await appTab(page, 'Users');
    };
    const assign = async (label: string) => {
      await page.getByLabel('User to assign').selectOption({ label });
      await page.getByRole('button', { name: 'Assign to app' }).click();
    };

    await openSimulation();
    await page.getByLabel('Seat limit (empty: no limit)').fill('0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await shot('seat-limit-0');

    await openAppUsers();
    await assign('Eve Moneypenny (eve@seats.example)');
    await row(page, 'eve@seats.example').locator('.badge-failed').waitFor(WORKER_WAIT);
    const lastError = page.locator('[data-label="Last error"]');
    await lastError.waitFor();
    expect(await lastError.textContent()).toContain('Seat limit reached');
    await shot('failed-with-last-error');

    await goTo(page, 'Provisioning');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'failed' });
    await page
      .locator('tr[data-status="failed"][data-scim="POST"]')
      .first()
      .getByRole('button')
      .first()
      .click();
    const response = page.locator('[data-label="Response body"]').first();
    await response.waitFor();
    expect(await response.textContent()).toContain('Seat limit reached');
    await shot('failed-in-log');

    await openSimulation();
    await page.getByLabel('Seat limit (empty: no limit)').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await openAppUsers();
    await row(page, 'eve@seats.example').getByRole('button', { name: 'Retry' }).click();
    await row(page, 'eve@seats.example').locator('.badge-provisioned').waitFor(WORKER_WAIT);
    expect(await lastError.count()).toBe(0);
    await shot('retried');

    // A transient 503 from the target: the worker retries on its own and the log says so.
    await openSimulation();
    await page.getByLabel('Status', { exact: true }).fill('503');
    await page.getByLabel('Count', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Apply faults' }).click();
    await page.getByText('Applied', { exact: true }).waitFor();
    await shot('fault-503');
    await openAppUsers();
    await assign('Frank Drebin (frank@seats.example)');
    await row(page, 'frank@seats.example').locator('.badge-provisioned').waitFor(WORKER_WAIT);
    await goTo(page, 'Provisioning');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'retrying' });
    await page.locator('tr[data-status="retrying"]').first().waitFor();
    await shot('retrying-in-log');

    // Assignment through a role: a user holding a role that has the app is provisioned to it.
    await goTo(page, 'Roles');
    await page.getByLabel('New role').fill('Sales');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const role = page.locator('.card', { has: page.getByRole('heading', { name: 'Sales' }) });
    // Both lists are ticked, then one Save keeps both (two Save buttons used to drop the users).
    await role.getByRole('checkbox', { name: 'Calendly' }).check();
    await role.getByRole('checkbox', { name: 'gina@seats.example' }).check();
    await role.getByText('Unsaved changes').waitFor();
    await role.getByRole('button', { name: 'Save role' }).click();
    await role.getByText('Role saved').waitFor();
    const saved = await call<{ items: { appIds: string[]; userIds: string[] }[] }>('GET', '/api/roles');
    expect(saved.items[0]?.userIds).toEqual([userIds['gina@seats.example']]);
    expect(saved.items[0]?.appIds).toHaveLength(1);
    await shot('role');
    await openAppUsers();
    await row(page, 'gina@seats.example').locator('.badge-provisioned').waitFor(WORKER_WAIT);
    await row(page, 'gina@seats.example').getByRole('link').click();
    expect(await page.getByRole('checkbox', { name: 'Sales' }).isChecked()).toBe(true);
    await page
      .getByRole('table')
      .getByRole('row', { name: /Calendly/ })
      .locator('.badge-provisioned')
      .waitFor();
    await shot('provisioned-through-role');

    // The log follows live: a change made elsewhere (a QA suite on the API) shows up without a reload.
    await goTo(page, 'Provisioning');
    await page.getByText('● live').waitFor();
    await page.locator('tr[data-push]').first().waitFor();
    expect(await page.locator('tr[data-action="suspend"]').count()).toBe(0);
    await call('POST', `/api/users/${userIds['frank@seats.example']}/suspend`);
    await page.locator('tr[data-action="suspend"][data-status="pending_approval"]').waitFor(WORKER_WAIT);
    await shot('live-tail');

    // Filtered by user: only that user's events.
    await page.getByLabel('User', { exact: true }).fill('eve@seats.example');
    const usersShown = async () => [
      ...new Set(await page.locator('tr[data-push] [data-email]').allTextContents()),
    ];
    await expect.poll(usersShown, { timeout: 15_000 }).toEqual(['eve@seats.example']);
    await shot('log-by-user');
  }, 120_000);
});
