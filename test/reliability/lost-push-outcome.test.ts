import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createScimClient } from '../../shared/src/scim-client/scim-client.ts';
import { targetPolicy } from '../../shared/src/scim-client/target-policy.ts';
import { reconcileUser } from '../../worker/src/processors/reconcile-user.ts';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { useLifecycle } from '../support/lifecycle-harness.ts';
import { killAllChildren, startStackWorker } from '../support/processes.ts';
import { targetUsers } from '../support/target-org.ts';

/**
 * A push changes the account on the target, then its outcome is lost (Redis went away, the worker
 * died) and the intent changes back before the push runs again. Found by the chaos suite (seed 40130:
 * a suspend reached the target, its outcome was lost, a reactivate followed; the next push saw
 * "nothing to change" and the account stayed inactive).
 */
describe('a push whose outcome was lost, then an intent that changed back', () => {
  const { api, target, stack } = useStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });
  const dyingWorker = useLifecycle(() => stack());
  afterAll(killAllChildren);

  const runWorkersUntilIdle = async (appId: string) => {
    const worker = await startStackWorker(stack(), 'worker', { PROVISIM_RETRY_BASE_MS: '50' });
    await waitIdle(api, appId);
    await worker.kill('SIGTERM');
  };

  it('the next push brings the account in line, not what the record said before the lost push', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: false, update: false, delete: false },
    });
    const user = await api.ok('POST', '/api/users', buildUser());
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
    await runWorkersUntilIdle(appId);

    // The suspend is pushed by a worker that dies before recording the outcome.
    await api.ok('POST', `/api/users/${user.id}/suspend`);
    const { lifecycle, queues } = dyingWorker();
    // It ran the suspend's job: that job, retried, takes the user's lease again.
    const owner = (await queues.queue(appId).getDeduplicationJobId(user.id)) as string;
    const load = await lifecycle.startPush(appId, user.id, { owner, ms: 60_000 });
    const record = 'record' in load ? load.record : null;
    const config = loadConfig({ REDIS_URL: stack().redisUrl });
    const client = createScimClient({
      baseUrl: org.scimBaseUrl,
      bearerToken: org.token,
      dialect: 'onelogin',
      timeoutMs: 10_000,
      policy: targetPolicy(config),
    });
    await reconcileUser(record as NonNullable<typeof record>, client, (patch) =>
      lifecycle.recordPushStep(appId, user.id, patch),
    );
    expect((await targetUsers(target, org.orgId)).map((u) => u.active)).toEqual([false]);

    await api.ok('POST', `/api/users/${user.id}/reactivate`);
    await runWorkersUntilIdle(appId);

    expect((await targetUsers(target, org.orgId)).map((u) => [u.userName, u.active])).toEqual([
      [user.email, true],
    ]);
    const appUser = await api.ok('GET', `/api/apps/${appId}/users/${user.id}`);
    expect(appUser).toMatchObject({ state: 'provisioned', assigned: true });
  }, 120_000);
});
