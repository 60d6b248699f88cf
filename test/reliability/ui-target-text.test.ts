import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowser, signIn } from '../browser/support/browser.ts';
import { APPROVE_DELETES_ONLY, assignNewUsers, setUpApp, useStack, waitIdle } from '../support/factories.ts';
import { listenOnLoopback, SCIM_JSON, scimReadAnswer } from '../support/raw-scim-server.ts';

const MARKUP = '<img src=x onerror="window.__injected=1"><b id="injected">bold</b>';

/** A SCIM server whose error details carry markup: on every call under /refuse, on creates elsewhere. */
function markupTarget(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/refuse') || req.method === 'POST') {
        res.writeHead(400, { 'content-type': SCIM_JSON }).end(
          JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '400',
            detail: `Refused: ${MARKUP}`,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': SCIM_JSON }).end(scimReadAnswer(req.url));
    });
  });
}

describe('the UI renders target-provided text as text', () => {
  const { api, stack } = useStack({ env: { PROVISIM_PUSH_ATTEMPTS: '1' } });
  let target: Server;
  let targetUrl: string;
  let browser: BrowserSession;

  beforeAll(async () => {
    target = markupTarget();
    targetUrl = await listenOnLoopback(target);
    browser = await openBrowser('reliability-target-text', stack().apiUrl);
    await signIn(browser.page, stack().apiUrl, stack().adminToken);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => target?.close(resolve));
  });

  /** Nothing of the markup became an element or ran. */
  const expectInert = async (page: Page, where: string) => {
    expect(await page.locator('#injected').count(), where).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { __injected?: number }).__injected),
      where,
    ).toBeUndefined();
  };

  it('shows a refused connection test, a failed push and the log entries with the markup as literal text', {
    timeout: 90_000,
  }, async () => {
    const refused = await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Refusing' });
    await api.ok('PUT', `/api/apps/${refused.id}/configuration`, {
      scimBaseUrl: `${targetUrl}/refuse/scim/v2`,
      scimBearerToken: 'markup-target-token',
    });
    expect((await api('POST', `/api/apps/${refused.id}/configuration/enable`)).status).toBe(422);

    const failing = await setUpApp(api, {
      scimBaseUrl: `${targetUrl}/scim/v2`,
      token: 'markup-target-token',
      requireApproval: APPROVE_DELETES_ONLY,
    });
    await assignNewUsers(api, failing, 1, 'markup');
    await waitIdle(api, failing, 40_000);
    expect((await api.ok('GET', `/api/apps/${failing}/users`)).items[0].lastError).toContain(MARKUP);

    const { page } = browser;
    await page.goto(`${stack().apiUrl}/apps/${refused.id}/configuration`);
    await page.getByText(MARKUP, { exact: false }).first().waitFor();
    await expectInert(page, 'configuration page');

    await page.goto(`${stack().apiUrl}/apps/${failing}/users`);
    await page.locator('tr[data-user="markup-0@example.com"]').waitFor();
    await page.getByText(MARKUP, { exact: false }).first().waitFor();
    await expectInert(page, 'app users page');

    await page.goto(`${stack().apiUrl}/provisioning`);
    await page.getByText(MARKUP, { exact: false }).first().waitFor();
    await expectInert(page, 'provisioning log page');
    await browser.shot('markup-as-text');
  });
});
