import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Api, apiClient } from '../../support/api-client.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { seriousViolations } from './axe.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '../../../test-artifacts/screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /**
   * Saves `test-artifacts/screenshots/<test>/<nn-step>.png` of `page` (the first page by default), then
   * checks the screen with axe-core: it fails on any serious or critical violation, naming them.
   */
  shot(step: string, target?: Page): Promise<void>;
  /** What the page's clipboard holds, read back the way a paste would. */
  readClipboard(target?: Page): Promise<string>;
  close(): Promise<void>;
}

/** Debian's chromium, headless, with a fresh profile; clipboard allowed on the app's origin. */
export async function openBrowser(testName: string, origin: string, width = 1280): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'provisim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const folder = join(SCREENSHOTS, testName);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  let count = 0;
  return {
    context,
    page,
    shot: async (step, target = page) => {
      count += 1;
      await target.screenshot({
        path: join(folder, `${String(count).padStart(2, '0')}-${step}.png`),
        fullPage: true,
      });
      const violations = await seriousViolations(target);
      if (violations.length > 0)
        throw new Error(`axe-core on '${step}': ${JSON.stringify(violations, null, 2)}`);
    },
    readClipboard: async (target = page) => {
      await target.bringToFront();
      return target.evaluate(() => navigator.clipboard.readText());
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface BrowserStack {
  stack: TestStack;
  api: Api;
  browser: BrowserSession;
}

/** The whole stack and a Chromium signed in to it, opened before the file's tests and closed after them. */
export function useBrowserStack(testName: string): () => BrowserStack {
  let opened: BrowserStack | undefined;
  beforeAll(async () => {
    const stack = await startStack();
    const browser = await openBrowser(testName, stack.apiUrl);
    opened = { stack, api: apiClient(stack.apiUrl, stack.adminToken), browser };
    await signIn(browser.page, stack.apiUrl, stack.adminToken);
  });
  afterAll(async () => {
    await opened?.browser.close();
    await opened?.stack.stop();
  });
  return () => {
    if (!opened) throw new Error('the browser stack opens in beforeAll: use it inside a test');
    return opened;
  };
}

/** Signs in the way the printed login URL does. */
export async function signIn(page: Page, apiUrl: string, adminToken: string): Promise<void> {
  await page.goto(`${apiUrl}/login#token=${encodeURIComponent(adminToken)}`);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

/** Follows a menu link and waits until the router marks it current, so the next step sees the new page. */
async function followMenu(page: Page, menu: string, item: string): Promise<void> {
  const link = page.getByRole('navigation', { name: menu }).getByRole('link', { name: item, exact: true });
  await link.click();
  await link.and(page.locator('[aria-current="page"]')).waitFor();
}

/** Follows a link of the top bar. */
export const goTo = (page: Page, item: string) => followMenu(page, 'Main', item);

/** Follows a link of an app's left menu (Configuration, Parameters, Provisioning, Users). */
export const appTab = (page: Page, tab: string) => followMenu(page, 'App settings', tab);

/** Cards and the page body whose content runs past their own width (what a narrow projector would cut). */
export async function overflowingBoxes(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.content, .card, .walkthrough')]
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => `${box.className}: ${box.scrollWidth} > ${box.clientWidth}`),
  );
}

/** The widths every screen is checked and photographed at: a laptop, and a 1024 px projector. */
export const WIDTHS = [1280, 1024] as const;

/** Sets the page's width, keeping its height. */
export async function atWidth(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: page.viewportSize()?.height ?? 900 });
}

/** Where an element sits on the page, or a failure naming it when it is not laid out. */
export async function boxOf(
  locator: Locator,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} is not on screen`);
  return box;
}

/** Failed requests and console errors of a page from now on: what a trainer would see in the devtools. */
export function watchErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) seen.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.push(`page: ${error.message}`));
  return seen;
}
