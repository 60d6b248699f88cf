import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { Api } from '../support/api-client.ts';
import { buildUser, setUpApp, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { listenOnLoopback, SCIM_JSON, scimReadAnswer } from '../support/raw-scim-server.ts';

const AUTO_APPROVE = { create: false, update: false, delete: false } as const;
const WAITED =
  /^Rate limited \(429, (Retry-After 1\.0 s|no Retry-After)\): waiting \d+\.\d s before trying again, no attempt spent/;

/** Assigns one new user to the app and returns their log, oldest first, once the app is idle. */
async function pushOne(api: Api, appId: string) {
  const user = await api.ok('POST', '/api/users', buildUser());
  await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
  await waitIdle(api, appId);
  const log = (await api.all(`/api/provisioning-log?appId=${appId}&userId=${user.id}`)).reverse();
  const { state } = await api.ok('GET', `/api/apps/${appId}/users/${user.id}`);
  return { log, state, waits: log.filter((e) => !e.request && WAITED.test(e.message)) };
}

/** A SCIM server that answers 429 without Retry-After to the next `n` requests once armed. */
async function throttlingServer() {
  let refuse = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (refuse > 0) {
        refuse -= 1;
        return res.writeHead(429, { 'content-type': SCIM_JSON }).end('{"detail":"slow down"}');
      }
      if (req.method === 'POST')
        return res.writeHead(201, { 'content-type': SCIM_JSON }).end(JSON.stringify({ id: 'made-1' }));
      res.writeHead(200, { 'content-type': SCIM_JSON }).end(scimReadAnswer(req.url));
    });
  });
  const baseUrl = `${await listenOnLoopback(server)}/scim/v2`;
  return {
    baseUrl,
    refuseNext: (n: number) => {
      refuse = n;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('429 answers wait, and spend no attempt', () => {
  // Two attempts: any 429 that spent one would fail the push.
  const { api, target } = useStack({ env: { PROVISIM_PUSH_ATTEMPTS: '2' } });
  const closing: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closing) await close();
  });

  it('with Retry-After (the built-in target): five 429s, then provisioned on the first attempt', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: AUTO_APPROVE,
    });
    await target.ok('PUT', `/target-api/orgs/${org.orgId}/faults`, { failNext: [{ status: 429, count: 5 }] });
    const { log, state, waits } = await pushOne(api, appId);
    expect(state).toBe('provisioned');
    expect(waits.map((e) => e.message)).toEqual(Array(5).fill(expect.stringContaining('Retry-After 1.0 s')));
    expect(log.filter((e) => e.response?.status === 429).every((e) => e.status === 'retrying')).toBe(true);
    expect(log.every((e) => (e.attempt ?? 1) === 1)).toBe(true);
  });

  it('without Retry-After: five 429s, then provisioned on the first attempt', async () => {
    const server = await throttlingServer();
    closing.push(server.close);
    const appId = await setUpApp(api, {
      connector: 'scim-generic',
      scimBaseUrl: server.baseUrl,
      token: 'throttled-token-1234',
      requireApproval: AUTO_APPROVE,
    });
    server.refuseNext(5);
    const { log, state, waits } = await pushOne(api, appId);
    expect(state).toBe('provisioned');
    expect(waits.map((e) => e.message)).toEqual(Array(5).fill(expect.stringContaining('no Retry-After')));
    expect(log.every((e) => (e.attempt ?? 1) === 1)).toBe(true);
  });
});

describe('past the rate-limit budget', () => {
  const { api, target } = useStack({
    env: { PROVISIM_PUSH_ATTEMPTS: '2', PROVISIM_RATE_LIMIT_MAX_WAIT_MS: '0' },
  });

  it('a 429 spends an attempt like a 503', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: AUTO_APPROVE,
    });
    await target.ok('PUT', `/target-api/orgs/${org.orgId}/faults`, { failNext: [{ status: 429, count: 2 }] });
    const { log, state, waits } = await pushOne(api, appId);
    expect(state).toBe('failed');
    expect(waits).toEqual([]);
    expect(log.at(-1)).toMatchObject({ status: 'failed', attempt: 2 });
    expect(log.at(-1)?.message).toMatch(/429/);
  });
});
