import { describe, expect, it } from 'vitest';
import { buildUser, setUpAppOnNewOrg, useStack } from '../support/factories.ts';

describe('Provision on demand while no worker process runs', () => {
  const { api } = useStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });

  it('answers 202 queued at once instead of waiting out its timeout: nothing would push meanwhile', async () => {
    const { appId } = await setUpAppOnNewOrg(api);
    const user = await api.ok('POST', '/api/users', buildUser());
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id }, [201]);

    const reply = await api('POST', `/api/apps/${appId}/users/${user.id}/provision-now`, {
      timeoutMs: 120_000,
    });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({
      outcome: 'queued',
      task: { action: 'create', status: 'queued', decidedBy: 'admin (provision on demand)' },
    });
    expect(reply.body.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'queued']);
  }, 30_000);
});
