import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_USER_SCHEMA } from '../../shared/src/mapping/scim-schemas.ts';
import { type Api, apiClient } from '../support/api-client.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { type BrowserSession, goTo, openBrowser, overflowingBoxes, signIn } from './support/browser.ts';

/** The console's page sizes: 25 rows (People, Applications, Overview, organizations); on Roles, 5 cards of 10-row pickers. */
const ROWS = 25;
const ROLE_CARDS = 5;
const PICKER_ROWS = 10;
const PEOPLE = 60;
/** Not a multiple of the picker's page: the directory API answers a full last page with a cursor to an empty one. */
const MEMBERS = 64;
const APPS = 27;
const EXTRA_ORGS = 26;
const EXTRA_ROLES = 11;

type ListPage<T> = { items: T[]; nextCursor: string | null };
type Person = { userName: string };
type Member = { id: string; email: string };

const two = (n: number) => String(n).padStart(2, '0');

/** The cells of a table's first column, in order. */
const firstColumn = (table: Locator) => table.locator('tbody tr td:first-child').allTextContents();

/** The texts of a list of checkboxes' labels, in order. */
const checkLabels = (box: Locator) => box.locator('label.check').allTextContents();

const pager = (scope: Page | Locator, name = 'Pagination') => scope.getByRole('navigation', { name });

/** Waits until the pager says page `n`, so the next read sees that page's rows. */
const onPage = (scope: Page | Locator, n: number, name?: string) =>
  pager(scope, name).getByText(`Page ${n}`, { exact: true }).waitFor();

/** Waits until `read` returns `expected` (the UI polls and renders asynchronously). */
async function until<T>(read: () => Promise<T>, expected: T): Promise<void> {
  await expect.poll(read, { timeout: 20_000 }).toEqual(expected);
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, n) => items.slice(n * size, (n + 1) * size));

/**
 * Pages a list forward to its end and back to page 1 with the pager named `name` in `scope`, checking
 * that each page shows `expected` cut into pages of `size` (read by `rows`), and that Next ends there.
 */
async function pageThrough(
  scope: Page | Locator,
  rows: () => Promise<string[]>,
  expected: string[],
  size: number,
  name = 'Pagination',
): Promise<void> {
  const pages = chunks(expected, size);
  expect(pages.length).toBeGreaterThan(1);
  const button = (label: string) => pager(scope, name).getByRole('button', { name: label });
  const turnTo = async (n: number, label: string) => {
    await button(label).click();
    await onPage(scope, n, name);
    await until(rows, pages[n - 1]);
  };
  await until(rows, pages[0]);
  for (let n = 2; n <= pages.length; n += 1) await turnTo(n, 'Next ›');
  expect(await button('Next ›').isDisabled()).toBe(true);
  for (let n = pages.length - 1; n >= 1; n -= 1) await turnTo(n, '‹ Previous');
  expect(await button('‹ Previous').isDisabled()).toBe(true);
}

/** An org of the built-in target with SCIM on and `PEOPLE` people created by SCIM POSTs with its token. */
async function orgWithPeople(api: Api): Promise<{ id: string; name: string }> {
  const name = 'Long List Inc.';
  const org = await api.ok<{ id: string; scimBaseUrl: string }>('POST', '/target-api/orgs', { name });
  await api.ok('PUT', `/target-api/orgs/${org.id}/sso`, { configured: true, enforced: true });
  await api.ok('PUT', `/target-api/orgs/${org.id}/scim`, { enabled: true });
  const { token } = await api.ok<{ token: string }>('POST', `/target-api/orgs/${org.id}/tokens`, {
    lifetimeDays: 1,
  });
  const scim = apiClient(org.scimBaseUrl, token);
  for (let n = 1; n <= PEOPLE; n += 1) {
    await scim.ok('POST', '/Users', {
      schemas: [CORE_USER_SCHEMA],
      userName: `person-${two(n)}@long.example`,
      displayName: `Person ${two(n)}`,
      active: true,
    });
  }
  return { id: org.id, name };
}

describe('long lists page in a real browser', () => {
  let stack: TestStack;
  let api: Api;
  let browser: BrowserSession;
  let org: { id: string; name: string };

  beforeAll(async () => {
    stack = await startStack();
    api = apiClient(stack.apiUrl, stack.adminToken);
    org = await orgWithPeople(api);
    for (let n = 1; n <= EXTRA_ORGS; n += 1)
      await api.ok('POST', '/target-api/orgs', { name: `Org ${two(n)}` });
    for (let n = 1; n <= APPS; n += 1) {
      await api.ok('POST', '/api/apps', { connector: 'scim-generic', name: `App ${two(n)}` });
    }
    const members: string[] = [];
    for (let n = 1; n <= MEMBERS; n += 1) {
      const email = `member${two(n)}@long.example`;
      members.push(
        (await api.ok<Member>('POST', '/api/users', { firstname: 'Member', lastname: two(n), email })).id,
      );
    }
    const team = await api.ok<{ id: string }>('POST', '/api/roles', { name: 'Big team' });
    await api.ok('PUT', `/api/roles/${team.id}/users`, { userIds: members });
    for (let n = 1; n <= EXTRA_ROLES; n += 1) await api.ok('POST', '/api/roles', { name: `Role ${two(n)}` });
    browser = await openBrowser('long-lists', stack.apiUrl, 1024);
    await signIn(browser.page, stack.apiUrl, stack.adminToken);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('filters an org’s people by userName through the target API, in the same page shape', async () => {
    const all = (await api.all<Person>(`/target-api/orgs/${org.id}/users`)).map((p) => p.userName);
    expect(all).toHaveLength(PEOPLE);
    const found = await api.ok<ListPage<Person>>(
      'GET',
      `/target-api/orgs/${org.id}/users?query=PERSON-5&limit=4`,
    );
    expect(found.items.map((p) => p.userName)).toEqual(
      all.filter((u) => u.startsWith('person-5')).slice(0, 4),
    );
    expect(found.nextCursor).toBe('4');
    const rest = await api.ok<ListPage<Person>>(
      'GET',
      `/target-api/orgs/${org.id}/users?query=person-5&limit=10&cursor=4`,
    );
    expect(rest.items).toHaveLength(6);
    expect(rest.nextCursor).toBeNull();

    const tooLong = await api('GET', `/target-api/orgs/${org.id}/users?query=${'x'.repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.field).toBe('query.query');
  });

  it('pages Calendly People forward and back, by keyboard too, and searches by userName', async () => {
    const { page, shot } = browser;
    const people = (await api.all<Person>(`/target-api/orgs/${org.id}/users`)).map((p) => p.userName);
    await goTo(page, 'Calendly');
    await page.getByRole('link', { name: org.name, exact: true }).click();
    await page.getByRole('link', { name: 'People', exact: true }).click();
    const table = page.locator('table.people');
    const rows = () => firstColumn(table);
    await pageThrough(page, rows, people, ROWS);
    expect(await overflowingBoxes(page)).toEqual([]);
    await shot('people-page-1');

    // Keyboard only: from the search field, Tab reaches the pager, and Enter turns the page.
    await page.getByLabel('Search people').focus();
    for (let tabs = 0; tabs < 100; tabs += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Next ›') break;
    }
    await page.keyboard.press('Enter');
    await onPage(page, 2);
    await until(rows, people.slice(ROWS, 2 * ROWS));
    await shot('people-page-2');

    // A search narrows to the matching userNames, whatever their case, and starts again from page 1.
    await page.getByLabel('Search people').fill('PERSON-4');
    await onPage(page, 1);
    await until(
      rows,
      people.filter((u) => u.startsWith('person-4')),
    );
    expect(await pager(page).getByRole('button', { name: 'Next ›' }).isDisabled()).toBe(true);
    await shot('people-search');
    await page.getByLabel('Search people').fill('nobody-here');
    await page.getByText('Nobody matches.').waitFor();
  });

  it('pages the Calendly organizations', async () => {
    const { page, shot } = browser;
    const names = (await api.all<{ name: string }>('/target-api/orgs')).map((o) => o.name);
    expect(names).toHaveLength(EXTRA_ORGS + 1);
    await goTo(page, 'Calendly');
    await pageThrough(page, () => page.locator('.org-list li a').allTextContents(), names, ROWS);
    await shot('orgs');
  });

  it('pages Applications and the Overview table, and the app search covers every page', async () => {
    const { page, shot } = browser;
    const names = (await api.all<{ name: string }>('/api/apps')).map((a) => a.name);
    expect(names).toHaveLength(APPS);
    await goTo(page, 'Applications');
    const table = page.locator('table.table');
    await pageThrough(page, () => firstColumn(table), names, ROWS);
    expect(await overflowingBoxes(page)).toEqual([]);
    // The last app is on the last page; a search from page 1 finds it.
    await page.getByLabel('Search apps').fill(`app ${APPS}`);
    await until(() => firstColumn(table), [`App ${APPS}`]);
    await shot('apps-search');

    await goTo(page, 'Overview');
    const overview = page.locator('.card', { has: page.getByRole('heading', { name: 'Applications' }) });
    await pageThrough(overview, () => firstColumn(overview), names, ROWS);
    expect(await overflowingBoxes(page)).toEqual([]);
    await shot('overview');
  });

  it('pages the roles, and a role’s members beyond one page, all ticked, with a search', async () => {
    const { page, shot } = browser;
    const roles = (await api.all<{ name: string }>('/api/roles')).map((r) => r.name);
    expect(roles).toHaveLength(EXTRA_ROLES + 1);
    await goTo(page, 'Roles');
    await pageThrough(
      page,
      () => page.locator('.card h2').allTextContents(),
      roles,
      ROLE_CARDS,
      'Role pages',
    );

    const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Big team' }) });
    const appNames = (await api.all<{ name: string }>('/api/apps')).map((a) => a.name);
    const apps = card.locator('fieldset', { has: page.getByText(/^Applications ·/) });
    await pageThrough(apps, () => checkLabels(apps), appNames, PICKER_ROWS, 'Big team application pages');

    const directory = await api.all<Member>('/api/users');
    const users = card.locator('fieldset', { has: page.getByText(/^Users ·/) });
    const userPager = 'Big team user pages';
    await users.getByText(`Users · ${MEMBERS} selected`).waitFor();
    await pageThrough(
      users,
      () => checkLabels(users),
      directory.map((u) => u.email),
      PICKER_ROWS,
      userPager,
    );
    expect(await users.getByRole('checkbox', { checked: false }).count()).toBe(0);

    // Unticking someone on page 2 and saving keeps every member of the other pages.
    await pager(users, userPager).getByRole('button', { name: 'Next ›' }).click();
    await onPage(users, 2, userPager);
    const dropped = directory[PICKER_ROWS];
    await users.getByRole('checkbox', { name: dropped?.email }).uncheck();
    await users.getByText(`Users · ${MEMBERS - 1} selected`).waitFor();
    expect(await overflowingBoxes(page)).toEqual([]);
    await shot('role-members-page-2');
    await card.getByRole('button', { name: 'Save role' }).click();
    await card.getByText('Role saved').waitFor();
    const saved = (await api.all<{ name: string; userIds: string[] }>('/api/roles')).find(
      (r) => r.name === 'Big team',
    );
    expect(saved?.userIds).toHaveLength(MEMBERS - 1);
    expect(saved?.userIds).not.toContain(dropped?.id);

    // A search narrows the picker and goes back to page 1; the ticks still show who holds the role.
    await users.getByLabel('Search users for Big team').fill('member07');
    await onPage(users, 1, userPager);
    await until(() => checkLabels(users), ['member07@long.example']);
    expect(await users.getByRole('checkbox', { name: 'member07@long.example' }).isChecked()).toBe(true);
    await shot('role-members-search');
  });
});
