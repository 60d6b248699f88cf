import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiClient } from '../support/api-client.ts';
import { expectContractError } from '../support/expectations.ts';
import { waitHealthy } from '../support/factories.ts';
import { testRedisUrl } from '../support/redis.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { type ProxyMode, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

// A request that waits longer than this for a lost Redis counts as hanging.
const ANSWER_WITHIN_MS = 5000;

describe('fault 6: the API loses Redis', () => {
  let proxy: TcpProxy;
  let stack: TestStack;
  let api: Api;

  beforeAll(async () => {
    const redis = new URL(testRedisUrl());
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port) });
    stack = await startStack({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
    await waitHealthy(stack.apiUrl);
    api = apiClient(stack.apiUrl, stack.adminToken);
  });

  afterAll(async () => {
    await proxy?.setMode('forward');
    await stack?.stop();
    await proxy?.close();
  });

  const expectStoreUnavailable = async (method: string, path: string, body?: unknown) => {
    const reply = await api(method, path, body, { timeoutMs: ANSWER_WITHIN_MS });
    expectContractError(reply, 503);
  };

  const expectRecovered = async () => {
    const deadline = Date.now() + 20_000;
    let last = 0;
    while (Date.now() < deadline) {
      last = (await api('GET', '/api/users', undefined, { timeoutMs: ANSWER_WITHIN_MS })).status;
      if (last === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(last).toBe(200);
    expect((await api('GET', '/api/health')).body).toMatchObject({ status: 'ok', redis: 'ok' });
  };

  it.each<ProxyMode>(['refuse', 'hang'])(
    'answers 503 in the contract shape while Redis %ss, then recovers by itself',
    async (mode) => {
      await api.ok('POST', '/api/users', {
        firstname: 'Ada',
        lastname: mode,
        email: `before-${mode}@example.com`,
      });
      await proxy.setMode(mode);

      const health = await api('GET', '/api/health', undefined, { timeoutMs: ANSWER_WITHIN_MS });
      expect(health.status).toBe(503);
      expect(health.text).toMatch(/redis/i);
      await expectStoreUnavailable('GET', '/api/users');
      await expectStoreUnavailable('POST', '/api/users', {
        firstname: 'B',
        lastname: 'C',
        email: `during-${mode}@example.com`,
      });
      await expectStoreUnavailable('GET', '/api/apps');
      await expectStoreUnavailable('GET', '/api/provisioning-log');

      await proxy.setMode('forward');
      await expectRecovered();
      const emails = (await api.all('/api/users')).map((u) => u.email);
      expect(emails).toContain(`before-${mode}@example.com`);
      expect(emails).not.toContain(`during-${mode}@example.com`);
    },
  );
});
