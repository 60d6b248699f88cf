import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiClient } from '../support/api-client.ts';
import { expectContractError } from '../support/expectations.ts';
import { waitHealthy } from '../support/factories.ts';
import { startStack, type TestStack } from '../support/stack.ts';

describe('PROVISIM_TARGET_ALLOWLIST limits where apps may push', () => {
  let stack: TestStack;
  let api: Api;
  let appId: string;

  beforeAll(async () => {
    stack = await startStack({
      env: {
        PROVISIM_TARGET_ALLOWLIST: '*.scim.example.test, 127.0.0.1',
        PROVISIM_IN_PROCESS_WORKERS: 'false',
      },
    });
    api = apiClient(stack.apiUrl, stack.adminToken);
    await waitHealthy(stack.apiUrl);
    appId = (await api.ok('POST', '/api/apps', { connector: 'calendly', name: 'Fenced' })).id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const configure = (scimBaseUrl: string) =>
    api('PUT', `/api/apps/${appId}/configuration`, {
      scimBaseUrl,
      scimBearerToken: 'allowlist-token-123',
    });

  it.each([
    'http://127.0.0.1:9/scim/v2',
    'https://acme.scim.example.test/scim/v2',
    'https://ACME.Scim.Example.Test/scim/v2',
  ])('accepts %s', async (url) => {
    const reply = await configure(url);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.configuration.scimBaseUrl).toBe(url);
  });

  it.each([
    ['http://localhost:9/scim/v2', 'localhost'],
    ['https://scim.example.test/scim/v2', 'scim.example.test'],
    ['https://a.b.scim.example.test/scim/v2', 'a.b.scim.example.test'],
    ['https://acme.scim.example.test.evil.io/scim/v2', 'acme.scim.example.test.evil.io'],
    ['https://evilscim.example.test/scim/v2', 'evilscim.example.test'],
    ['http://127.0.0.1@evil.io/scim/v2', 'evil.io'],
    ['http://127.0.0.10/scim/v2', '127.0.0.10'],
    ['http://[::1]:9/scim/v2', '::1'],
    ['http://10.0.0.1/scim/v2', '10.0.0.1'],
  ])('refuses %s with a clear error naming the host, and keeps the configuration', async (url, host) => {
    const before = (await api.ok('GET', `/api/apps/${appId}`)).configuration;
    const reply = await configure(url);
    expectContractError(reply, 400);
    expect(reply.body.error.details.field).toBe('body.scimBaseUrl');
    expect(reply.body.error.message).toContain(host);
    expect(reply.body.error.message).toMatch(/PROVISIM_TARGET_ALLOWLIST/);
    expect((await api.ok('GET', `/api/apps/${appId}`)).configuration).toEqual(before);
  });
});
