import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTargetOrg, setUpApp, useStack, waitIdle } from '../support/factories.ts';
import {
  atWidth,
  type BrowserSession,
  boxOf,
  goTo,
  openBrowser,
  overflowingBoxes,
  signIn,
  WIDTHS,
  watchErrors,
} from './support/browser.ts';

const WORKER_WAIT = { timeout: 30_000 };
const UI_WAIT = { timeout: 15_000 };

const row = (page: Page, email: string) => page.locator(`tr[data-user="${email}"]`);
const step = (page: Page, id: string) => page.locator(`.walkthrough [data-step="${id}"]`);

const PEOPLE = [
  ['Ada', 'Lovelace'],
  ['Grace', 'Hopper'],
  ['Alan', 'Turing'],
  ['Edsger', 'Dijkstra'],
  ['Zed', 'Gone'],
] as const;
const emailOf = (first: string) => `${first.toLowerCase()}@review.example`;

describe('the console as a trainer and an admin use it, at 1280 and 1024 px with the Walkthrough open', () => {
  const { api, stack } = useStack();
  let browser: BrowserSession;
  let appId: string;
  let orgId: string;
  const ids: Record<string, string> = {};

  /** Photographs the page at both widths (each shot is checked with axe), with nothing cut at either. */
  const review = async (name: string) => {
    const { page, shot } = browser;
    for (const width of WIDTHS) {
      await atWidth(page, width);
      await page.getByRole('complementary', { name: 'Walkthrough' }).waitFor();
      expect(await overflowingBoxes(page), `${name} at ${width} px`).toEqual([]);
      await shot(`${name}-${width}`);
    }
    await atWidth(page, WIDTHS[0]);
  };

  beforeAll(async () => {
    const org = await createTargetOrg(api, { name: 'Review Inc.' });
    orgId = org.orgId;
    appId = await setUpApp(api, {
      scimBaseUrl: org.scimBaseUrl,
      token: org.token,
      requireApproval: { create: false, update: true, delete: true },
    });
    for (const [firstname, lastname] of PEOPLE) {
      const user = await api.ok('POST', '/api/users', { firstname, lastname, email: emailOf(firstname) });
      ids[firstname] = user.id;
    }
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: ids.Ada });
    const role = await api.ok('POST', '/api/roles', { name: 'Sales' });
    await api.ok('PUT', `/api/roles/${role.id}/apps`, { appIds: [appId] });
    await api.ok('PUT', `/api/roles/${role.id}/users`, { userIds: [ids.Grace] });
    await waitIdle(api, appId);
    const app = await api.ok('GET', `/api/apps/${appId}`);
    await api.ok('PUT', `/api/apps/${appId}/provisioning`, {
      ...app.provisioning,
      requireApproval: { create: true, update: true, delete: true },
    });
    for (const first of ['Alan', 'Edsger'])
      await api.ok('POST', `/api/apps/${appId}/users`, { userId: ids[first] });
    browser = await openBrowser('console-review', stack().apiUrl);
    await signIn(browser.page, stack().apiUrl, stack().adminToken);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('App > Users names each user, says where the access comes from, and keeps its actions on screen', async () => {
    const { page, readClipboard } = browser;
    await page.goto(`${stack().apiUrl}/apps/${appId}/users`);
    await row(page, emailOf('Edsger')).locator('.badge-pending').waitFor(WORKER_WAIT);
    await row(page, emailOf('Grace')).locator('.badge-provisioned').waitFor(WORKER_WAIT);

    const ada = row(page, emailOf('Ada'));
    expect(await ada.locator('.user-cell a').textContent()).toBe('Ada Lovelace');
    expect(await ada.locator('.user-cell .email').textContent()).toBe(emailOf('Ada'));
    expect(await ada.locator('.user-cell .source').textContent()).toBe('direct');
    expect(await row(page, emailOf('Grace')).locator('.user-cell').textContent()).toContain('via role Sales');

    // The external ID is cut on screen, whole in its title, and copies whole.
    const { externalId } = await api.ok('GET', `/api/apps/${appId}/users/${ids.Ada}`);
    const shown = ada.locator('[data-label="External ID"]');
    expect(await shown.getAttribute('data-id')).toBe(externalId);
    expect(
      await ada.getByRole('button', { name: `Copy external ID ${externalId}` }).getAttribute('title'),
    ).toContain(externalId);
    expect(await shown.evaluate((cell) => cell.scrollWidth > cell.clientWidth)).toBe(true);
    await ada.getByRole('button', { name: `Copy external ID ${externalId}` }).click();
    await expect.poll(() => readClipboard(), UI_WAIT).toBe(externalId);

    for (const width of WIDTHS) {
      await atWidth(page, width);
      const card = await boxOf(page.locator('.app-tab .card'));
      const inCard = async (label: string, box: { x: number; width: number }) =>
        expect(box.x + box.width, `${label} at ${width} px`).toBeLessThanOrEqual(card.x + card.width);
      await inCard('the Actions header', await boxOf(page.getByRole('columnheader', { name: 'Actions' })));
      const pending = row(page, emailOf('Edsger'));
      for (const name of ['Approve', 'Deny', 'Preview create', 'Remove'])
        await inCard(name, await boxOf(pending.getByRole('button', { name, exact: true })));
      // One compact line of actions, not a stack of buttons.
      expect((await boxOf(pending)).height, `a pending row at ${width} px`).toBeLessThan(70);
    }
    await review('app-users');
  });

  it('Remove on a user who has the app through a role explains it and takes the user out of the role', async () => {
    const { page, shot } = browser;
    const grace = row(page, emailOf('Grace'));
    await grace.getByRole('button', { name: 'Remove', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Access through a role' });
    expect(await dialog.textContent()).toContain('through the role Sales, not by a direct assignment');
    await shot('remove-via-role');
    await dialog.getByRole('button', { name: 'Remove from role Sales' }).click();
    // Suspend on delete needs approval here: the user now waits for it, and nothing went wrong.
    await grace.locator('.badge-pending').waitFor(WORKER_WAIT);
    expect(await grace.textContent()).not.toContain('via role Sales');
    expect(await page.getByRole('alert').count()).toBe(0);
    const roles = await api.ok('GET', '/api/roles');
    expect(roles.items[0].userIds).not.toContain(ids.Grace);
    await shot('removed-from-role');
  });

  it('says an error in plain words and folds its details away', async () => {
    const { page, shot } = browser;
    const select = page.getByLabel('User to assign');
    await select.locator('option', { hasText: 'Zed Gone' }).waitFor({ state: 'attached' });
    // Someone else deletes the user (a second admin, a QA suite) while the list still offers it.
    await api.ok('DELETE', `/api/users/${ids.Zed}`);
    await select.selectOption({ label: `Zed Gone (${emailOf('Zed')})` });
    await page.getByRole('button', { name: 'Assign to app' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('strong').textContent()).toMatch(/^It is no longer there: /);
    const details = alert.locator('details');
    expect(await details.getAttribute('open')).toBeNull();
    await details.locator('summary').click();
    expect(await details.textContent()).toContain('HTTP 404 · not_found');
    await shot('error-folded');
  });

  it('Bulk approve shows its plan, applies only the plan confirmed, then shows live progress; the button goes', async () => {
    const { page, shot } = browser;
    const bulk = page.getByRole('button', { name: /^Bulk approve \d+ pending/ });
    await bulk.click();
    const dialog = page.getByRole('dialog');
    const headline = dialog.locator('.plan-headline');
    await headline.waitFor();
    expect(await headline.textContent()).toBe('2 creates, 0 updates, 1 suspend or delete.');
    const alan = dialog.locator(`[data-plan-user="${emailOf('Alan')}"][data-plan-action="create"]`);
    expect(await alan.locator('[data-attribute="userName"] .new').textContent()).toBe(`→ ${emailOf('Alan')}`);
    expect(
      await dialog.locator(`[data-plan-user="${emailOf('Grace')}"]`).getAttribute('data-plan-action'),
    ).toBe('suspend');
    for (const width of WIDTHS) {
      await atWidth(page, width);
      await shot(`plan-${width}`);
    }
    await atWidth(page, WIDTHS[0]);

    // Another admin assigns a user while the plan is on screen: confirming it is refused, the new plan shown.
    const late = await api.ok('POST', '/api/users', {
      firstname: 'Zoe',
      lastname: 'Late',
      email: emailOf('Zoe'),
    });
    ids.Zoe = late.id;
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: late.id });
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'It changed meanwhile' }).waitFor(UI_WAIT);
    await expect
      .poll(() => headline.textContent(), UI_WAIT)
      .toBe('3 creates, 0 updates, 1 suspend or delete.');
    expect((await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items).toHaveLength(4);
    await shot('plan-changed');

    await dialog.getByRole('button', { name: 'Approve' }).click();
    const progress = page.getByRole('status', { name: 'Bulk approve progress' });
    await progress.waitFor();
    expect(await progress.locator('[data-progress="total"]').textContent()).toBe('4');
    await expect.poll(() => progress.locator('[data-progress="done"]').textContent(), WORKER_WAIT).toBe('4');
    await progress.getByText('done').waitFor();
    await shot('progress-done');
    await expect.poll(() => bulk.count(), WORKER_WAIT).toBe(0);
    await waitIdle(api, appId);
  });

  it('Reapply Mappings shows what the mapping now changes, old → new, before it applies', async () => {
    const { page, shot } = browser;
    // Ada is renamed and the update is denied: the target still holds the old name, the mapping the new.
    await api.ok('PATCH', `/api/users/${ids.Ada}`, { lastname: 'King' });
    await expect
      .poll(
        async () => (await api.ok('GET', `/api/apps/${appId}/users/${ids.Ada}`)).pendingTaskId,
        WORKER_WAIT,
      )
      .not.toBeNull();
    const { pendingTaskId } = await api.ok('GET', `/api/apps/${appId}/users/${ids.Ada}`);
    await api.ok('POST', `/api/apps/${appId}/tasks/${pendingTaskId}/deny`, {});

    await page.getByRole('button', { name: 'Apply to all' }).click();
    await page.getByRole('button', { name: 'Reapply Mappings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reapply Mappings' });
    await dialog.locator('.plan-headline').waitFor();
    expect(await dialog.locator('.plan-headline').textContent()).toBe(
      '0 creates, 1 update, 0 suspends or deletes.',
    );
    const change = dialog.locator(`[data-plan-user="${emailOf('Ada')}"] [data-attribute="displayName"]`);
    expect(await change.locator('.old').textContent()).toBe('Ada Lovelace');
    expect(await change.locator('.new').textContent()).toBe('→ Ada King');
    await shot('reapply-plan');
    await dialog.getByRole('button', { name: 'Reapply' }).click();
    const progress = page.getByRole('status', { name: 'Reapply Mappings progress' });
    await progress.getByText('1 wait for approval').waitFor(UI_WAIT);
    await row(page, emailOf('Ada')).locator('.badge-pending').waitFor(WORKER_WAIT);
    await shot('reapplied');
    await api.ok('POST', `/api/apps/${appId}/plans/approve-all/apply`, {
      planId: (await api.ok('GET', `/api/apps/${appId}/plans/approve-all`)).planId,
    });
    await waitIdle(api, appId);
  });

  it('the log shows one row per push with its steps, counts per outcome, searches by name, reads at 1024 px', async () => {
    const { page, shot } = browser;
    await page.goto(`${stack().apiUrl}/provisioning?appId=${appId}`);
    const pushes = page.locator('tr[data-push]');
    await page
      .locator('tr[data-push][data-action="create"][data-status="succeeded"]')
      .first()
      .waitFor(UI_WAIT);
    const tasks = await pushes.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-push')));
    expect(new Set(tasks).size).toBe(tasks.length);

    // The counts are of pushes, for the filters on screen.
    const all = page.locator('[data-count="all"]');
    await expect.poll(async () => Number(await all.textContent()), UI_WAIT).toBe(await pushes.count());
    expect(Number((await page.locator('[data-count="succeeded"]').textContent())?.trim())).toBeGreaterThan(0);

    // Times read "… ago", the exact time on hover.
    const time = pushes.first().locator('time');
    expect(await time.textContent()).toMatch(/ago|now/);
    expect(await time.getAttribute('title')).toMatch(/\d{1,2}:\d{2}/);

    // Searched by her (new) name: only Ada's pushes; her create opens on its steps, the write with its exchange.
    await page.getByLabel('User', { exact: true }).fill('Ada King');
    const usersShown = async () => [
      ...new Set(await pushes.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-user-id')))),
    ];
    await expect.poll(usersShown, UI_WAIT).toEqual([ids.Ada]);
    const create = page.locator('tr[data-push][data-action="create"][data-status="succeeded"]');
    await create.getByRole('button', { name: 'Steps of this create' }).click();
    const steps = page.locator('.push-steps > li');
    expect(await steps.count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.push-steps [data-scim="GET"]').count()).toBe(1);
    const body = page.locator('[data-label="Request body"]');
    await body.waitFor();
    expect(await body.textContent()).toContain('urn:ietf:params:scim:schemas:core:2.0:User');
    await page.getByRole('heading', { name: 'Response' }).waitFor();
    await review('log-push-open');

    // The raw events are one toggle away: more rows than pushes.
    // A controlled box that follows the URL: click, then wait for what it shows.
    const rawToggle = page.getByLabel('Raw events (one row per step)');
    await rawToggle.click();
    await page.locator('tr[data-event]').first().waitFor();
    expect(await page.locator('tr[data-event]').count()).toBeGreaterThan(1);
    await shot('log-raw');
    await rawToggle.click();
    await pushes.first().waitFor();

    await page.goto(`${stack().apiUrl}/provisioning`);
    await pushes.first().waitFor();
    for (const width of WIDTHS) {
      await atWidth(page, width);
      for (const box of await pushes.evaluateAll((rows) =>
        rows.map((row) => row.getBoundingClientRect().height),
      ))
        expect(box, `a push row at ${width} px`).toBeLessThan(90);
    }
    await review('log');
  });

  it('People: a suspended person is not offered Accept invitation, and every column has a header', async () => {
    const { page } = browser;
    await api.ok('POST', `/api/users/${ids.Ada}/suspend`);
    await expect
      .poll(
        async () => (await api.ok('GET', `/api/apps/${appId}/users/${ids.Ada}`)).pendingTaskId,
        WORKER_WAIT,
      )
      .not.toBeNull();
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId);
    await page.goto(`${stack().apiUrl}/calendly/${orgId}/people`);
    const ada = row(page, emailOf('Ada'));
    await ada.locator('.badge-suspended').waitFor(UI_WAIT);
    expect(await ada.getByRole('button', { name: 'Accept invitation' }).count()).toBe(0);
    await row(page, emailOf('Alan')).getByRole('button', { name: 'Accept invitation' }).waitFor();
    const headers = await page.locator('table.people th').allInnerTexts();
    expect(headers.every((text) => text.trim() !== '')).toBe(true);
    // A refused login is the outcome the trainer shows, not an error in the devtools console.
    const errors = watchErrors(page);
    await page.getByLabel('Try to log in as').fill(emailOf('Zed'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not_provisioned' }).waitFor(UI_WAIT);
    expect(errors).toEqual([]);
    await review('people');
  });

  it('Reset demo asks for nothing that is gone; an empty Applications list says so; Suspend waits for Provisioning', async () => {
    const { page, shot } = browser;
    await goTo(page, 'Overview');
    await step(page, 'invitation').waitFor();
    const errors = watchErrors(page);
    const oldOrg = orgId;
    const newOrgPeople = page.waitForResponse((response) => {
      const match = /\/target-api\/orgs\/([^/]+)\/users/.exec(new URL(response.url()).pathname);
      return match !== null && match[1] !== oldOrg && response.ok();
    }, WORKER_WAIT);
    await page.getByRole('button', { name: 'Reset demo' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset' }).click();
    await newOrgPeople;
    await page.locator('.walkthrough [data-step="sso"][data-done="false"]').waitFor(UI_WAIT);
    expect(errors).toEqual([]);
    await shot('after-reset');

    await goTo(page, 'Applications');
    await page.getByText('No apps yet').waitFor();
    await review('applications-empty');

    // The app is configured and enabled, its Provisioning not saved yet: Suspend is only the default.
    const org = await createTargetOrg(api);
    const app = await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Calendly' });
    await api.ok('PUT', `/api/apps/${app.id}/configuration`, {
      scimBaseUrl: org.scimBaseUrl,
      scimBearerToken: org.token,
    });
    await api.ok('POST', `/api/apps/${app.id}/configuration/enable`);
    await api.ok('PUT', `/api/apps/${app.id}/parameters`, { scimUsername: 'email', custom: [] });
    await page.locator('.walkthrough [data-step="parameters"][data-done="true"]').waitFor(UI_WAIT);
    expect(await step(page, 'on-delete').getAttribute('data-done')).toBe('false');
    await api.ok('PUT', `/api/apps/${app.id}/provisioning`, { ...app.provisioning, enabled: true });
    await page.locator('.walkthrough [data-step="on-delete"][data-done="true"]').waitFor(UI_WAIT);
    expect(errors).toEqual([]);
  });

  it('the log names the pushes of users the Reset demo deleted without asking for them (no 404 in the console)', async () => {
    const { page } = browser;
    await goTo(page, 'Provisioning');
    const errors = watchErrors(page);
    await page.reload();
    const gone = page.locator(`tr[data-push][data-user-id="${ids.Ada}"]`).first();
    await gone.getByText('no longer in the directory').waitFor(UI_WAIT);
    // A controlled box that follows the URL: click, then wait for what it shows.
    await page.getByLabel('Raw events (one row per step)').click();
    await page
      .locator(`tr[data-event][data-user-id="${ids.Ada}"]`)
      .first()
      .getByText('no longer in the directory')
      .waitFor(UI_WAIT);
    await review('log-of-deleted-users');
    expect(errors).toEqual([]);
  });

  it("a user's page lists the apps that hold them without asking the others (no 404 in the console)", async () => {
    const { page } = browser;
    const org = await createTargetOrg(api);
    const held = await setUpApp(api, { scimBaseUrl: org.scimBaseUrl, token: org.token });
    await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Never assigned' });
    const user = await api.ok('POST', '/api/users', {
      firstname: 'Hedy',
      lastname: 'Lamarr',
      email: emailOf('Hedy'),
    });
    await api.ok('POST', `/api/apps/${held}/users`, { userId: user.id });
    const errors = watchErrors(page);
    await page.goto(`${stack().apiUrl}/users/${user.id}`);
    await page.getByRole('heading', { name: 'Hedy Lamarr' }).waitFor();
    await page.getByRole('button', { name: 'Remove' }).waitFor(UI_WAIT);
    await review('user-with-two-apps');
    expect(errors).toEqual([]);
  });

  it("an app's Import before the first import says so without a 404 in the console", async () => {
    const { page } = browser;
    const fresh = await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Not imported yet' });
    const errors = watchErrors(page);
    await page.goto(`${stack().apiUrl}/apps/${fresh.id}/import`);
    await page.getByText('No import yet.').waitFor(UI_WAIT);
    await review('import-none-yet');
    expect(errors).toEqual([]);
  });
});
