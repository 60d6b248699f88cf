import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../support/raw-scim-server.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import {
  appTab,
  type BrowserSession,
  goTo,
  openBrowser,
  overflowingBoxes,
  signIn,
} from './support/browser.ts';

const INJECTED = '<img src=x onerror="window.__xss=1">';

/** A SCIM server that refuses every call with an error whose detail is markup. */
const startHostileTarget = async (): Promise<{ url: string; server: Server }> => {
  const server = createServer((_req, res) => {
    res.writeHead(401, { 'Content-Type': 'application/scim+json' });
    res.end(
      JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: INJECTED,
      }),
    );
  });
  return { url: `${await listenOnLoopback(server)}/scim/v2`, server };
};

describe('admin console basics in a real browser', () => {
  let stack: TestStack;
  let hostile: { url: string; server: Server };
  let browser: BrowserSession;

  beforeAll(async () => {
    [stack, hostile] = await Promise.all([startStack(), startHostileTarget()]);
    browser = await openBrowser('console-basics', stack.apiUrl, 1024);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    hostile?.server.close();
  });

  it('shows a target error carrying markup as text, at 1024 px, and signs out', async () => {
    const { page, shot } = browser;
    await signIn(page, stack.apiUrl, stack.adminToken);
    expect(new URL(page.url()).hash).toBe('');
    await shot('signed-in');

    await goTo(page, 'Applications');
    await page.getByRole('link', { name: 'Add App', exact: true }).click();
    await page.getByRole('button', { name: /^Calendly/ }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Configuration' }).waitFor();
    await page.getByLabel('SCIM Base URL').fill(hostile.url);
    await page.getByLabel('SCIM Bearer Token').fill('not-a-real-token');
    await page.getByRole('button', { name: 'Enable' }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'onerror' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(INJECTED);
    await shot('target-error-as-text');

    // After a reload the stored API Connection error is shown, still as text.
    await page.reload();
    const stored = page.getByTestId('api-connection-error');
    await stored.waitFor();
    expect(await stored.textContent()).toContain(INJECTED);
    expect(await page.locator('#root img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // The catalog app has no custom parameters, and says why.
    await appTab(page, 'Parameters');
    await page.getByText('OneLogin does not support custom attributes for catalog applications').waitFor();

    // The generic SCIM app takes them.
    await goTo(page, 'Applications');
    await page.getByRole('link', { name: 'Add App', exact: true }).click();
    await page.getByRole('button', { name: /^SCIM Provisioner/ }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Configuration' }).waitFor();
    await appTab(page, 'Parameters');
    await page.getByLabel('SCIM Username').selectOption({ label: 'Email' });
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Department');
    await page.getByLabel('Source', { exact: true }).fill('custom.costCenter');
    await page
      .getByLabel('Target', { exact: true })
      .fill('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.reload();
    await page.getByLabel('Name', { exact: true }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Department');
    expect(await page.getByLabel('Source', { exact: true }).inputValue()).toBe('custom.costCenter');
    expect(await page.getByLabel('SCIM Username').inputValue()).toBe('email');
    expect(await overflowingBoxes(page)).toEqual([]);
    await shot('generic-app-parameters');

    // A laptop projector: nothing runs off the side at 1024 px on the busiest screens.
    const screens: [string, () => Promise<void>][] = [
      ['app-users', () => appTab(page, 'Users')],
      ['app-provisioning', () => appTab(page, 'Provisioning')],
      ['provisioning-log', () => goTo(page, 'Provisioning')],
      ['users', () => goTo(page, 'Users')],
      ['overview', () => goTo(page, 'Overview')],
      [
        'calendly-sso',
        async () => {
          await goTo(page, 'Calendly');
          await page.getByLabel('Organization name').fill('Projector Inc.');
          await page.getByRole('button', { name: 'Create organization' }).click();
          await page.getByRole('heading', { name: 'Single sign-on' }).waitFor();
        },
      ],
    ];
    for (const [screen, open] of screens) {
      await open();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, screen).toBeLessThanOrEqual(0);
      expect(await overflowingBoxes(page), screen).toEqual([]);
      await shot(`1024px-${screen}`);
    }

    // Deleting asks first, then the thing is gone from its list.
    await page.getByRole('button', { name: 'Delete organization' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    // The list never shows a cached copy from before the delete, and once loaded it is empty.
    await page.getByRole('heading', { name: 'Organizations' }).waitFor();
    expect(await page.getByRole('link', { name: 'Projector Inc.' }).count()).toBe(0);
    await page.getByText('No organization yet').waitFor();
    expect(await page.getByRole('link', { name: 'Projector Inc.' }).count()).toBe(0);
    await goTo(page, 'Applications');
    await page.getByRole('link', { name: /^SCIM Provisioner/ }).click();
    await page.getByRole('button', { name: 'Delete app' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('link', { name: 'Add App', exact: true }).waitFor();
    await expect
      .poll(() => page.getByRole('link', { name: /^SCIM Provisioner/ }).count(), { timeout: 15_000 })
      .toBe(0);
    expect(await page.getByRole('table').getByRole('link', { name: 'Calendly' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // Signed out, a deep link lands on sign-in; pasting the token works from the keyboard alone.
    await page.goto(`${stack.apiUrl}/users`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('token');
    await page.keyboard.insertText(stack.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await shot('signed-in-with-pasted-token');

    // A wrong token is refused with the API's error, and nothing is stored.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  }, 90_000);
});
