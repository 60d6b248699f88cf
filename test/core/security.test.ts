import { describe, expect, it } from 'vitest';
import { pushQueueName } from '../../shared/src/store/push-queues.ts';
import { apiClient } from '../support/api-client.ts';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';

describe('admin token and secrets', () => {
  const { api, stack } = useStack();

  it('every /api route answers 401 without the admin token or with a wrong one, except health and openapi', async () => {
    const anonymous = apiClient(stack().apiUrl, null);
    const wrong = apiClient(stack().apiUrl, `${stack().adminToken}x`);
    // Every operation the served document lists (route tables and the rest), except the public ones.
    const document = (await anonymous('GET', '/api/openapi.json')).body;
    const operations = Object.entries(document.paths as Record<string, Record<string, { security?: [] }>>);
    const routes = [
      ...operations.flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, operation]) => operation.security === undefined)
          .map(([method]) => ({ method: method.toUpperCase(), path })),
      ),
      { method: 'GET', path: '/api/provisioning-log' },
      { method: 'GET', path: '/api/provisioning-log/export?format=csv' },
      { method: 'GET', path: '/api/provisioning-log/stream' },
      { method: 'GET', path: '/api/no-such-route' },
    ].map((r) => ({ ...r, path: r.path.replace(/\{(\w+)\}/g, 'some-$1') }));
    expect(routes.length).toBeGreaterThan(30);
    for (const client of [anonymous, wrong]) {
      for (const route of routes) {
        const res = await client(route.method, route.path, route.method === 'GET' ? undefined : {});
        expect({ ...route, status: res.status, code: res.body?.error?.code }).toEqual({
          ...route,
          status: 401,
          code: 'unauthorized',
        });
      }
    }
    expect((await anonymous('GET', '/api/health')).body).toMatchObject({ status: 'ok', redis: 'ok' });
    expect((await anonymous('GET', '/api/health')).body.workers).toBeGreaterThanOrEqual(1);
    const openapi = await anonymous('GET', '/api/openapi.json');
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.body.paths)).toContain('/api/apps/{appId}/tasks/approve-all');
    expect(
      openapi.body.paths['/api/users'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(expect.arrayContaining(['firstname', 'lastname', 'email']));
  });

  it('the SCIM bearer token never appears in an API response or a provisioning log event', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: false, update: true, delete: true },
    });
    const user = (await api('POST', '/api/users', buildUser())).body;
    await api('POST', `/api/apps/${appId}/users`, { userId: user.id });
    await waitIdle(api, appId);
    await api('PATCH', `/api/users/${user.id}`, { firstname: 'Grace' });
    const responses = await Promise.all(
      [
        '/api/apps',
        `/api/apps/${appId}`,
        `/api/apps/${appId}/users`,
        `/api/apps/${appId}/users/${user.id}`,
        `/api/apps/${appId}/tasks`,
        `/api/provisioning-log?appId=${appId}`,
        `/api/provisioning-log/export?format=ndjson&appId=${appId}`,
        `/api/provisioning-log/export?format=csv&appId=${appId}`,
      ].map((path) => api('GET', path)),
    );
    const enable = await api('POST', `/api/apps/${appId}/configuration/enable`);
    const reconfigure = await api('PUT', `/api/apps/${appId}/configuration`, {
      scimBaseUrl: org.scimBaseUrl,
      scimBearerToken: org.token,
    });
    const all = [...responses, enable, reconfigure];
    for (const res of all) expect(res.status).toBe(200);
    const log = responses[5]?.body.items;
    expect(log.some((e: { request?: unknown }) => e.request)).toBe(true);
    for (const res of all) expect(res.text).not.toContain(org.token);
    expect(reconfigure.body.configuration.scimBearerToken).toBe(`••••${org.token.slice(-4)}`);
  });

  it('validates input naming the field, and answers 413 past the body limit', async () => {
    const bad = await api('POST', '/api/users', { firstname: 'A', lastname: 'B', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe('body.email');
    const app = (await api('POST', '/api/apps', { connector: 'calendly', name: 'C' })).body;
    const custom = await api('PUT', `/api/apps/${app.id}/parameters`, {
      scimUsername: 'email',
      custom: [{ name: 'dept', source: 'department', target: 'groups' }],
    });
    expect(custom.status).toBe(400);
    const early = await api('PUT', `/api/apps/${app.id}/provisioning`, {
      enabled: true,
      requireApproval: { create: true, update: true, delete: true },
      onDelete: 'suspend',
      onSuspend: 'suspend',
    });
    expect(early.status).toBe(409);
    const huge = await api('POST', '/api/users', { ...buildUser(), custom: { blob: 'x'.repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    expect((await api('POST', '/api/users', buildUser({ email: 'dup@example.test' }))).status).toBe(201);
    expect((await api('POST', '/api/users', buildUser({ email: 'dup@example.test' }))).status).toBe(409);
  });
  it('bull-board at /admin/queues needs the admin token (header, or ?token= that sets a path-scoped cookie)', async () => {
    const app = (await api('POST', '/api/apps', { connector: 'calendly', name: 'Board' })).body;
    expect((await fetch(`${stack().apiUrl}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${stack().apiUrl}/admin/queues?token=wrong-token`)).status).toBe(401);
    const page = await fetch(
      `${stack().apiUrl}/admin/queues?token=${encodeURIComponent(stack().adminToken)}`,
    );
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    const queues = await fetch(`${stack().apiUrl}/admin/queues/api/queues`, {
      headers: { cookie: cookie.split(';')[0] as string },
    });
    expect(queues.status).toBe(200);
    const names = ((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names).toContain(pushQueueName(app.id));
  });
});
