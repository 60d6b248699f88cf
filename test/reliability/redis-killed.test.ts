import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/src/config/env.ts';
import { apiClient } from '../support/api-client.ts';
import { useEmbeddedRuntime } from '../support/embedded-runtime.ts';
import { expectExactlyOnce } from '../support/expectations.ts';
import { assignNewUsers, setUpAppOnNewOrg, waitHealthy, waitIdle } from '../support/factories.ts';
import { mapLimit } from '../support/map-limit.ts';
import { targetUsers } from '../support/target-org.ts';

const USERS = 60;

describe('fault 5: the embedded Redis is SIGKILLed and restarts', () => {
  const runtime = useEmbeddedRuntime('redis-kill');

  it('documents everysec as the default fsync policy', () => {
    expect(loadConfig({}).PROVISIM_REDIS_APPENDFSYNC).toBe('everysec');
  });

  it('with appendfsync always keeps every acknowledged approval and every logged event', async () => {
    const api = apiClient(runtime().apiUrl, runtime().adminToken);
    const { org, appId } = await setUpAppOnNewOrg(api);
    await assignNewUsers(api, appId, USERS, 'durable');
    const pending = await api.all(`/api/apps/${appId}/tasks?status=pending`);
    expect(pending.length).toBe(USERS);

    const acknowledged: string[] = [];
    let eventsBeforeKill: string[] = [];
    const redisPid = runtime().embeddedRedis?.pid();
    expect(redisPid).toBeGreaterThan(0);
    await mapLimit(pending, 4, async (task, index) => {
      if (index === USERS / 2) {
        eventsBeforeKill = (await api.all(`/api/provisioning-log?appId=${appId}`)).map((e) => e.id);
        process.kill(redisPid as number, 'SIGKILL');
      }
      const reply = await api('POST', `/api/apps/${appId}/tasks/${task.id}/approve`);
      if (reply.status === 200) acknowledged.push(task.id);
      else expect(reply.status, reply.text).toBe(503);
    });
    expect(acknowledged.length).toBeGreaterThanOrEqual(USERS / 2 - 4);

    await waitHealthy(runtime().apiUrl);
    expect(runtime().embeddedRedis?.pid()).not.toBe(redisPid);

    const eventsAfter = new Set((await api.all(`/api/provisioning-log?appId=${appId}`)).map((e) => e.id));
    expect(eventsBeforeKill.filter((id) => !eventsAfter.has(id))).toEqual([]);
    const approvedEvents = new Set(
      (await api.all(`/api/provisioning-log?appId=${appId}&status=approved`)).map((e) => e.taskId),
    );
    const statusOf = new Map(
      (await api.all(`/api/apps/${appId}/tasks`)).map((t: { id: string; status: string }) => [
        t.id,
        t.status,
      ]),
    );
    for (const taskId of acknowledged) {
      expect(statusOf.get(taskId), taskId).toMatch(/^(approved|queued|succeeded)$/);
      expect(approvedEvents.has(taskId), taskId).toBe(true);
    }

    // Whatever the kill left pending is approved now; every user ends on the target once.
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    await waitIdle(api, appId, 40_000);
    expectExactlyOnce(
      await targetUsers(api, org.orgId),
      Array.from({ length: USERS }, (_, i) => `durable-${i}@example.com`),
    );
  });
});
