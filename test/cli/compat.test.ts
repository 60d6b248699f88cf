import { afterAll, describe, expect, it } from 'vitest';
import { compatText } from '../../cli/src/compat/compat-report.ts';
import { COMPAT_STEPS } from '../../cli/src/compat/compat-steps.ts';
import { type CompatResult, runCompat } from '../../cli/src/compat/run-compat.ts';
import { createScimReader } from '../../cli/src/compat/scim-reader.ts';
import type { Dialect } from '../../shared/src/mapping/scim-dialects.ts';
import { useStack } from '../support/factories.ts';
import { type ProxyRule, type ScimProxy, startScimProxy } from '../support/scim-proxy.ts';
import { createTargetOrg, targetUsers, throughOrigin } from '../support/target-org.ts';

describe('provisim compat', () => {
  const { api, target, stack } = useStack();
  const proxies: ScimProxy[] = [];
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
  });

  const ALL: Dialect[] = ['onelogin', 'okta', 'entra', 'rfc'];

  let lastOrgId = '';

  async function compat(
    dialects: Dialect[],
    org: { strictAttributes?: boolean; rule?: ProxyRule } = {},
  ): Promise<CompatResult> {
    const made = await createTargetOrg(target, { strictAttributes: org.strictAttributes ?? false });
    lastOrgId = made.orgId;
    let scimUrl = made.scimBaseUrl;
    if (org.rule) {
      const proxy = await startScimProxy(new URL(stack().targetUrl).origin, org.rule);
      proxies.push(proxy);
      scimUrl = throughOrigin(made.scimBaseUrl, proxy.origin);
    }
    return runCompat({
      client: api.typed,
      scim: createScimReader(scimUrl, made.token),
      scimUrl,
      token: made.token,
      dialects,
      stepTimeoutMs: 30_000,
    });
  }

  const statusOf = (result: CompatResult, dialect: Dialect, step: string) =>
    result.cells.find((c) => c.dialect === dialect && c.step === step)?.status;

  const statuses = (result: CompatResult, dialect: Dialect) =>
    Object.fromEntries(COMPAT_STEPS.map((s) => [s.id, statusOf(result, dialect, s.id)]));

  it('is green on the built-in target (non-strict) in all four dialects', async () => {
    const result = await compat(ALL);
    expect(compatText(result)).toContain('44 passed, 0 failed, 0 not run');
    expect(result.passed).toBe(true);
    // The IdP's own requests are kept for each cell: the create step shows the lookup then the POST.
    const create = result.cells.find((c) => c.dialect === 'okta' && c.step === 'create');
    expect(create?.exchanges.map((x) => x.request.method)).toEqual(expect.arrayContaining(['GET', 'POST']));
    // It leaves the server as it found it.
    expect(await targetUsers(target, lastOrgId)).toEqual([]);
  });

  it("turns the create cells red in Calendly's strict attribute mode, with the target's refusal", async () => {
    const result = await compat(['onelogin', 'entra'], { strictAttributes: true });
    for (const dialect of ['onelogin', 'entra'] as const) {
      expect(statuses(result, dialect)).toEqual({
        connection: 'pass',
        create: 'fail',
        'create-link': 'fail',
        'update-name': 'skip',
        'update-email': 'skip',
        suspend: 'skip',
        reactivate: 'skip',
        'group-add': 'skip',
        'group-remove': 'skip',
        delete: 'skip',
        recreate: 'skip',
      });
    }
    const create = result.cells.find((c) => c.dialect === 'onelogin' && c.step === 'create');
    const post = create?.exchanges.find((x) => x.request.method === 'POST');
    expect(post?.response).toMatchObject({ status: 400 });
    expect(JSON.stringify(post?.response)).toContain('Unsupported attribute');
    expect(create?.behaviour.docs).toMatch(/^https:\/\/developers\.onelogin\.com\//);
    expect(compatText(result)).toContain('FAIL OneLogin / Create (lookup, then POST)');
    expect(await targetUsers(target, lastOrgId)).toEqual([]);
  });

  it('is red on a server that ignores filter', async () => {
    const result = await compat(['okta'], {
      rule: (_req, url) => {
        if (!url.searchParams.has('filter')) return undefined;
        const forwardTo = new URL(url);
        forwardTo.searchParams.delete('filter');
        return { forwardTo };
      },
    });
    expect(result.passed).toBe(false);
    const link = result.cells.find((c) => c.step === 'create-link');
    expect(link?.status).toBe('fail');
    expect(link?.message).toContain('the filter is ignored');
    const lookup = link?.exchanges.find((x) => x.request.url.includes('filter='));
    expect(lookup?.response).toMatchObject({ status: 200 });
  });

  it('is red where PATCH is sent to a server that advertises PATCH and rejects it', async () => {
    const result = await compat(['onelogin', 'entra'], {
      rule: (req) =>
        req.method === 'PATCH'
          ? { answer: { status: 405, body: { schemas: [], status: '405', detail: 'PATCH is not allowed' } } }
          : undefined,
    });
    // OneLogin updates users with PUT; Entra PATCHes them, and both PATCH group membership.
    expect(statusOf(result, 'onelogin', 'update-name')).toBe('pass');
    expect(statusOf(result, 'onelogin', 'suspend')).toBe('pass');
    expect(statusOf(result, 'entra', 'create')).toBe('pass');
    expect(statusOf(result, 'entra', 'update-name')).toBe('fail');
    expect(statusOf(result, 'entra', 'suspend')).toBe('fail');
    expect(statusOf(result, 'onelogin', 'group-remove')).toBe('fail');
    const update = result.cells.find((c) => c.dialect === 'entra' && c.step === 'update-name');
    const patch = update?.exchanges.find((x) => x.request.method === 'PATCH');
    expect(patch?.request.body).toMatchObject({
      Operations: expect.arrayContaining([expect.objectContaining({ op: 'Replace' })]),
    });
    expect(patch?.response).toMatchObject({ status: 405 });
  });
});
