import { describe, expect, it } from 'vitest';
import { buildUser, createTargetOrg, setUpApp } from '../support/factories.ts';
import { useBrowserStack } from './support/browser.ts';

/** App > Users' assign form while an assignment is still being answered. */
describe('assigning users one after another on App > Users', () => {
  const opened = useBrowserStack('assign-form');

  it('keeps the next user picked while the previous assignment is answered', async () => {
    const { stack, api, browser } = opened();
    const { page } = browser;
    const org = await createTargetOrg(api);
    const appId = await setUpApp(api, { scimBaseUrl: org.scimBaseUrl, token: org.token });
    const [ada, bob] = await Promise.all([0, 1].map(() => api.ok('POST', '/api/users', buildUser())));
    const label = (user: { firstname: string; lastname: string; email: string }) =>
      `${user.firstname} ${user.lastname} (${user.email})`;

    // Ada's assignment reaches the server at once; its answer is held until Bob is picked.
    let release = () => {};
    const bobPicked = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(`**/api/apps/${appId}/users`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const answer = await route.fetch();
      await bobPicked;
      await route.fulfill({ response: answer });
    });

    await page.goto(`${stack.apiUrl}/apps/${appId}/users`);
    const picker = page.getByLabel('User to assign');
    await picker.selectOption({ label: label(ada) });
    await page.getByRole('button', { name: 'Assign to app' }).click();
    await page.locator(`tr[data-user="${ada.email}"] .badge-pending`).waitFor({ timeout: 30_000 });
    await picker.selectOption({ label: label(bob) });
    release();
    await page.getByRole('button', { name: 'Assign to app' }).and(page.locator(':enabled')).waitFor();
    expect(await picker.inputValue()).toBe(bob.id);

    await page.getByRole('button', { name: 'Assign to app' }).click();
    await page.locator(`tr[data-user="${bob.email}"] .badge-pending`).waitFor({ timeout: 30_000 });
    await page.unroute(`**/api/apps/${appId}/users`);
  });
});
