import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { startStack, type TestStack } from '../support/stack.ts';

describe('startup: provisim serves as soon as it says it is running', () => {
  let stack: TestStack | undefined;

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the first request with its result, not 503', async () => {
    stack = await startStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });
    const api = apiClient(stack.apiUrl, stack.adminToken);
    const reply = await api('POST', '/api/users', {
      firstname: 'First',
      lastname: 'Request',
      email: 'first-request@example.com',
    });
    expect(reply.status, reply.text).toBe(201);
  });
});
