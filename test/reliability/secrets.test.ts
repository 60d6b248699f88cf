import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiClient } from '../support/api-client.ts';
import {
  APPROVE_DELETES_ONLY,
  assignUsers,
  createTargetOrg,
  createUsers,
  setUpApp,
  waitHealthy,
  waitIdle,
} from '../support/factories.ts';
import { killAllChildren, type ServerProcess, startServerProcess } from '../support/processes.ts';
import { EMPTY_SCIM_LIST, listenOnLoopback, SCIM_JSON, scimReadAnswer } from '../support/raw-scim-server.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';
import type { TargetOrg } from '../support/target-org.ts';

/**
 * A careless SCIM server: lookups answer fine, creates are refused with an error that repeats the
 * caller's credentials (as `Authorization: Bearer …`, or the bare token), and `/moved` redirects.
 */
function echoingTarget(redirectTo: () => string): Server {
  let creates = 0;
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      const bare = auth.replace(/^Bearer\s+/i, '');
      if (req.url?.startsWith('/moved')) {
        res.writeHead(302, { location: `${redirectTo()}${req.url}` }).end();
        return;
      }
      if (req.method === 'POST') {
        creates += 1;
        const bareEcho = creates % 2 === 0;
        res.writeHead(400, { 'content-type': SCIM_JSON }).end(
          JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '400',
            detail: bareEcho
              ? `The token ${bare} is not valid for this tenant.`
              : `Rejected request with Authorization: ${auth}`,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': SCIM_JSON }).end(scimReadAnswer(req.url));
    });
  });
}

describe('secrets: a SCIM bearer token never leaks', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-secrets-'));
  const live = new AbortController();
  let tail = '';
  let server: ServerProcess;
  let api: Api;
  let org: TargetOrg;
  let echo: Server;
  let catcher: Server;
  let caught = 0;
  let echoUrl: string;
  let catcherUrl: string;

  beforeAll(async () => {
    catcher = createServer((req, res) => {
      caught += 1;
      req.resume();
      res.end(EMPTY_SCIM_LIST);
    });
    catcherUrl = await listenOnLoopback(catcher);
    echo = echoingTarget(() => catcherUrl);
    echoUrl = await listenOnLoopback(echo);
    const adminToken = randomBytes(18).toString('base64url');
    server = await startServerProcess({
      REDIS_URL: testRedisUrl(),
      PROVISIM_KEY_PREFIX: uniquePrefix('secrets'),
      PROVISIM_ADMIN_TOKEN: adminToken,
      PROVISIM_DATA_DIR: dataDir,
      PROVISIM_RETRY_BASE_MS: '20',
      PROVISIM_PUSH_ATTEMPTS: '2',
      LOG_LEVEL: 'debug',
    });
    api = apiClient(server.apiUrl, adminToken);
    await waitHealthy(server.apiUrl);
    const stream = await fetch(`${server.apiUrl}/api/provisioning-log/stream`, {
      headers: { authorization: `Bearer ${adminToken}` },
      signal: live.signal,
    });
    expect(stream.status).toBe(200);
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>)
        tail += decoder.decode(chunk);
    })().catch(() => undefined);
    // The target shows its token once, on creation: that reply is the one place it may be.
    org = await createTargetOrg(apiClient(server.apiUrl, adminToken), { name: 'Secret Org' });
    expect(org.token.length).toBeGreaterThanOrEqual(16);
  });

  afterAll(async () => {
    live.abort();
    await killAllChildren();
    await new Promise((resolve) => echo?.close(resolve));
    await new Promise((resolve) => catcher?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Reads back everything an admin can see and names each place that contains the token. */
  const placesWithToken = async (): Promise<string[]> => {
    const apps = await api.all('/api/apps');
    const appUsersAndTasks: unknown[] = [];
    for (const app of apps) {
      expect(app.configuration.scimBearerToken).toMatch(/^•+.{0,4}$/);
      appUsersAndTasks.push(
        await api.all(`/api/apps/${app.id}/users`),
        await api.all(`/api/apps/${app.id}/tasks`),
      );
      for (const appUser of await api.all(`/api/apps/${app.id}/users`))
        appUsersAndTasks.push((await api('GET', `/api/apps/${app.id}/users/${appUser.userId}`)).body);
    }
    const events = await api.all('/api/provisioning-log');
    const csv = await api('GET', '/api/provisioning-log/export?format=csv');
    const ndjson = await api('GET', '/api/provisioning-log/export?format=ndjson');
    expect(csv.status).toBe(200);
    expect(ndjson.text.trim().split('\n').length).toBe(events.length);
    expect(tail).toContain(events[0]?.id);
    const sources: Record<string, string> = {
      'provisioning log events': JSON.stringify(events),
      'CSV export': csv.text,
      'NDJSON export': ndjson.text,
      'app users and tasks (lastError, error)': JSON.stringify(appUsersAndTasks),
      'any API reply': api.replies.join('\n'),
      'live tail (SSE)': tail,
      'server stdout/stderr': server.output(),
    };
    return Object.entries(sources)
      .filter(([, text]) => text.includes(org.token))
      .map(([where]) => where);
  };

  it('stays out of replies, log, exports, live tail and server output through pushes and failed connections', {
    timeout: 120_000,
  }, async () => {
    const good = await setUpApp(api, {
      scimBaseUrl: org.scimBaseUrl,
      token: org.token,
      requireApproval: { create: false, update: false, delete: false },
      onDelete: 'delete',
    });
    const goodUsers = await createUsers(api, 3, 'secret-good');
    await assignUsers(api, good, goodUsers);
    await waitIdle(api, good, 40_000);
    await api.ok('PATCH', `/api/users/${goodUsers[0]}`, { title: 'Director' });
    await api.ok('POST', `/api/users/${goodUsers[1]}/suspend`);
    await api.ok('DELETE', `/api/apps/${good}/users/${goodUsers[2]}`);
    await waitIdle(api, good, 40_000);
    expect(
      (await api.all(`/api/provisioning-log?appId=${good}&status=succeeded`)).length,
    ).toBeGreaterThanOrEqual(5);

    // A target that redirects elsewhere, and one that is not there: errors, and the token goes nowhere.
    for (const [scimBaseUrl, statuses] of [
      [`${echoUrl}/moved/scim/v2`, [422, 502]],
      ['http://127.0.0.1:9/scim/v2', [502]],
    ] as const) {
      const app = await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Broken' });
      await api.ok('PUT', `/api/apps/${app.id}/configuration`, { scimBaseUrl, scimBearerToken: org.token });
      const enable = await api('POST', `/api/apps/${app.id}/configuration/enable`);
      expect(statuses, enable.text).toContain(enable.status);
    }
    expect(caught).toBe(0);
    expect(await placesWithToken()).toEqual([]);
  });

  it('stays out of them when a target repeats the token back in its errors', {
    timeout: 120_000,
  }, async () => {
    const echoing = await setUpApp(api, {
      scimBaseUrl: `${echoUrl}/scim/v2`,
      token: org.token,
      requireApproval: APPROVE_DELETES_ONLY,
    });
    await assignUsers(api, echoing, await createUsers(api, 4, 'secret-echo'));
    await waitIdle(api, echoing, 40_000);
    expect((await api.all(`/api/provisioning-log?appId=${echoing}&status=failed`)).length).toBeGreaterThan(0);
    expect(await placesWithToken()).toEqual([]);
  });
});
