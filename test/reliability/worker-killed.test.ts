import { afterAll, describe, expect, it } from 'vitest';
import { expectExactlyOnce } from '../support/expectations.ts';
import {
  APPROVE_DELETES_ONLY,
  assignNewUsers,
  setUpAppOnNewOrg,
  useStack,
  waitForEvents,
  waitIdle,
} from '../support/factories.ts';
import { type ChildHandle, killAllChildren, startStackWorker } from '../support/processes.ts';
import { setFaults, targetRequests, targetUsers } from '../support/target-org.ts';

const USERS = 150;

describe('fault 4: a worker process is SIGKILLed (or SIGTERMed) mid-batch', () => {
  const { api, stack } = useStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });

  afterAll(async () => {
    await killAllChildren();
  });

  const startWorker = (label: string) =>
    startStackWorker(stack(), label, { PROVISIM_WORKER_CONCURRENCY: '8', PROVISIM_RETRY_BASE_MS: '50' });

  const cases = [
    { signal: 'SIGKILL', label: 'killed', exit: { code: null, signal: 'SIGKILL' } },
    { signal: 'SIGTERM', label: 'stopped', exit: { code: 0, signal: null } },
  ] as const;

  it.each(cases)(
    'after $signal another worker finishes the batch: no lost task, no duplicate account',
    {
      timeout: 150_000,
    },
    async ({ signal, label, exit: expectedExit }) => {
      const { org, appId } = await setUpAppOnNewOrg(api, { requireApproval: APPROVE_DELETES_ONLY });
      // Slow answers keep requests in flight when the signal lands, and the batch far from done.
      const setLatency = (latencyMs: number) =>
        setFaults(api, org.orgId, { latencyMs, errorRate: 0, rateLimit: null, failNext: [] });
      await setLatency(300);
      await assignNewUsers(api, appId, USERS, label);

      const first: ChildHandle = await startWorker(`${label}-worker-1`);
      await waitForEvents(api, `appId=${appId}&status=succeeded`, 8);
      const exited = await first.kill(signal);
      expect(exited, `worker output:\n${first.output().slice(-4000)}`).toEqual(expectedExit);
      const done = (await api.all(`/api/apps/${appId}/users?state=provisioned`)).length;
      expect(done).toBeLessThan(USERS);
      await setLatency(0);

      await startWorker(`${label}-worker-2`);
      await waitIdle(api, appId, 40_000);

      expectExactlyOnce(
        await targetUsers(api, org.orgId),
        Array.from({ length: USERS }, (_, i) => `${label}-${i}@example.com`),
      );
      // No user was created twice: no second successful POST for a userName (the lookup found the first).
      const creates = (await targetRequests(api, org.orgId)).filter(
        (r) => r.method === 'POST' && r.path === '/Users' && r.status === 201,
      );
      const createdNames = creates.map((r) => (r.body as { userName: string }).userName);
      expect(createdNames.length - new Set(createdNames).size).toBe(0);
      expect((await api.all(`/api/apps/${appId}/users?state=provisioned`)).length).toBe(USERS);
      expect((await api.all(`/api/apps/${appId}/tasks?status=succeeded`)).length).toBe(USERS);
      expect(await api.all(`/api/provisioning-log?appId=${appId}&status=failed`)).toEqual([]);
    },
  );
});
