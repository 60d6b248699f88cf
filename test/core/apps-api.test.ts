import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.ts';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { createRedis, type RedisClient } from '../../shared/src/redis/connection.ts';
import { freeLoopbackPort } from '../../shared/src/redis/embedded-redis.ts';
import { type Api, apiClient } from '../support/api-client.ts';
import { buildUser } from '../support/factories.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';

describe('apps API on createApp alone (no workers)', () => {
  const adminToken = 'an-admin-token-for-tests';
  const keyPrefix = uniquePrefix('apps');
  let redis: RedisClient;
  let server: Server;
  let close: () => Promise<void>;
  let api: Api;

  beforeAll(async () => {
    const config = loadConfig({
      REDIS_URL: testRedisUrl(),
      PROVISIM_KEY_PREFIX: keyPrefix,
      PROVISIM_TARGET_ALLOWLIST: '127.0.0.1, *.allowed.test',
      PROVISIM_SCIM_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'silent',
    });
    redis = createRedis(testRedisUrl(), 'api');
    await redis.ping().catch(async () => new Promise((r) => redis.once('ready', r)));
    const built = createApp({ config, redis, adminToken, logger: createLogger('apps-api', 'silent') });
    close = built.close;
    server = built.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    api = apiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, adminToken);
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await close?.();
    redis?.disconnect();
  });

  it('lists the catalog and creates apps with the contract defaults', async () => {
    expect((await api('GET', '/api/connectors')).body.map((c: { id: string }) => c.id)).toEqual([
      'calendly',
      'scim-generic',
    ]);
    const created = await api('POST', '/api/apps', { connector: 'scim-generic', name: 'Generic' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      configuration: {
        scimBaseUrl: null,
        scimBearerToken: null,
        dialect: 'onelogin',
        apiConnection: 'disabled',
      },
      quarantine: null,
      parameters: { scimUsername: null, custom: [] },
      provisioning: {
        enabled: false,
        requireApproval: { create: true, update: true, delete: true },
        onDelete: 'suspend',
        onSuspend: 'suspend',
      },
      counts: { assigned: 0, pending: 0, provisioned: 0, failed: 0 },
    });
    expect((await api('GET', '/api/health')).body).toEqual({ status: 'ok', redis: 'ok', workers: 0 });
    expect((await api('POST', '/api/apps', { connector: 'okta', name: 'x' })).body.error.details.field).toBe(
      'body.connector',
    );
  });

  it('lists every app in creation order (on a cluster, each app on its own shard)', async () => {
    const names = ['List A', 'List B', 'List C', 'List D'];
    const ids: string[] = [];
    for (const name of names)
      ids.push((await api('POST', '/api/apps', { connector: 'calendly', name })).body.id);
    const listed = await api('GET', '/api/apps?limit=1000');
    expect(listed.status).toBe(200);
    const all = listed.body.items.map((app: { id: string }) => app.id);
    expect(all.filter((id: string) => ids.includes(id))).toEqual(ids);
  });

  it('refuses a SCIM Base URL outside PROVISIM_TARGET_ALLOWLIST with a 400 naming scimBaseUrl', async () => {
    const app = (await api('POST', '/api/apps', { connector: 'calendly', name: 'C' })).body;
    const refused = await api('PUT', `/api/apps/${app.id}/configuration`, {
      scimBaseUrl: 'https://scim.elsewhere.test/v2',
      scimBearerToken: 'secret-token-1234',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.field).toBe('body.scimBaseUrl');
    const accepted = await api('PUT', `/api/apps/${app.id}/configuration`, {
      scimBaseUrl: 'https://eu.allowed.test/scim/v2',
      scimBearerToken: 'secret-token-1234',
      dialect: 'entra',
    });
    expect(accepted.body.configuration).toMatchObject({ dialect: 'entra', scimBearerToken: '••••1234' });
    const keptToken = await api('PUT', `/api/apps/${app.id}/configuration`, {
      scimBaseUrl: 'https://eu.allowed.test/scim',
    });
    expect(keptToken.body.configuration).toMatchObject({ dialect: 'onelogin', scimBearerToken: '••••1234' });
    const fresh = (await api('POST', '/api/apps', { connector: 'calendly', name: 'D' })).body;
    const missing = await api('PUT', `/api/apps/${fresh.id}/configuration`, {
      scimBaseUrl: 'https://eu.allowed.test/scim',
    });
    expect(missing.body.error.details.field).toBe('body.scimBearerToken');
  });

  it('Enable against a target that does not answer: 502 and the error stored on the app', async () => {
    const app = (await api('POST', '/api/apps', { connector: 'calendly', name: 'C' })).body;
    const port = await freeLoopbackPort();
    await api('PUT', `/api/apps/${app.id}/configuration`, {
      scimBaseUrl: `http://127.0.0.1:${port}/scim/v2`,
      scimBearerToken: 'tok-abcdef',
    });
    const enable = await api('POST', `/api/apps/${app.id}/configuration/enable`);
    expect(enable.status).toBe(502);
    expect(enable.body.error.code).toBe('target_unreachable');
    const stored = (await api('GET', `/api/apps/${app.id}`)).body.configuration;
    expect(stored.apiConnection).toBe('error');
    expect(stored.apiConnectionError).toBeTruthy();
  });

  it('assignments without provisioning enabled create no task; deleting the app removes it and its keys', async () => {
    const app = (await api('POST', '/api/apps', { connector: 'calendly', name: 'C' })).body;
    const user = (await api('POST', '/api/users', buildUser())).body;
    expect((await api('POST', `/api/apps/${app.id}/users`, { userId: user.id })).body).toMatchObject({
      userId: user.id,
      state: 'deprovisioned',
      assigned: true,
    });
    expect((await api('GET', `/api/apps/${app.id}/tasks`)).body.items).toEqual([]);
    expect((await api('POST', `/api/apps/${app.id}/reapply-mappings`)).status).toBe(409);
    const role = (await api('POST', '/api/roles', { name: 'Sales' })).body;
    await api('PUT', `/api/roles/${role.id}/apps`, { appIds: [app.id] });
    await api('PUT', `/api/roles/${role.id}/users`, { userIds: [user.id] });
    expect((await api('GET', '/api/roles?limit=1000')).body.items).toContainEqual(
      expect.objectContaining({ id: role.id, appIds: [app.id], userIds: [user.id] }),
    );
    expect((await api('DELETE', `/api/apps/${app.id}/users/${user.id}`)).status).toBe(204);
    expect((await api('GET', `/api/apps/${app.id}/users/${user.id}`)).body.assigned).toBe(true);
    await api('PUT', `/api/roles/${role.id}/users`, { userIds: [] });
    expect((await api('GET', `/api/apps/${app.id}/users/${user.id}`)).body.assigned).toBe(false);
    expect((await api('DELETE', `/api/apps/${app.id}`)).status).toBe(204);
    expect((await api('GET', `/api/apps/${app.id}`)).status).toBe(404);
    expect(await redis.keys(`${keyPrefix}:app:${app.id}*`)).toEqual([]);
    expect(await redis.smembers(`${keyPrefix}:user:${user.id}:apps`)).toEqual([]);
  });
});
