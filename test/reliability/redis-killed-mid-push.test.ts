import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { useEmbeddedRuntime } from '../support/embedded-runtime.ts';
import { expectExactlyOnce } from '../support/expectations.ts';
import { assignNewUsers, setUpAppOnNewOrg, waitHealthy, waitIdle } from '../support/factories.ts';
import { targetUsers } from '../support/target-org.ts';

const USERS = 200;

describe('the embedded Redis is SIGKILLed in the middle of a bulk push (issue 9, bug b)', () => {
  const runtime = useEmbeddedRuntime('redis-mid-push');

  it('ends with every user provisioned once (killed three times), none left queued, one outcome per push', async () => {
    const api = apiClient(runtime().apiUrl, runtime().adminToken);
    const { org, appId } = await setUpAppOnNewOrg(api);
    await assignNewUsers(api, appId, USERS, 'midpush');
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);

    // Kill it three times while pushes run: after 1/8, 3/8 and 5/8 of the users were provisioned
    // (fewer when the pushes stop short of that: the assertions below then say what was left).
    const provisionedOrIdle = async (share: number) => {
      for (;;) {
        const reply = await api('GET', `/api/apps/${appId}`);
        if (reply.status === 200 && reply.body.counts.provisioned >= USERS * share) return true;
        const idle = await api('GET', `/api/apps/${appId}/idle?timeoutMs=0`);
        if (idle.status === 200 && idle.body.idle) return false;
      }
    };
    for (const share of [1 / 8, 3 / 8, 5 / 8]) {
      if (!(await provisionedOrIdle(share))) break;
      const redisPid = runtime().embeddedRedis?.pid();
      process.kill(redisPid as number, 'SIGKILL');
      await waitHealthy(runtime().apiUrl);
      expect(runtime().embeddedRedis?.pid()).not.toBe(redisPid);
    }

    await waitIdle(api, appId, 120_000);
    const queued = await api.ok('GET', `/api/apps/${appId}/users?state=queued&limit=1000`);
    expect(queued.items.map((u: { email: string }) => u.email)).toEqual([]);
    const app = await api.ok('GET', `/api/apps/${appId}`);
    expect(app.counts).toMatchObject({ assigned: USERS, provisioned: USERS, pending: 0, failed: 0 });
    expectExactlyOnce(
      await targetUsers(api, org.orgId),
      Array.from({ length: USERS }, (_, i) => `midpush-${i}@example.com`),
    );
    const outcomes = (
      await api.all(`/api/provisioning-log?appId=${appId}&status=succeeded&action=create`)
    ).filter((e) => e.message.startsWith('Pushed to the target'));
    const perUser = new Map<string, number>();
    for (const event of outcomes) perUser.set(event.userId, (perUser.get(event.userId) ?? 0) + 1);
    expect(perUser.size).toBe(USERS);
    expect([...perUser.values()].filter((n) => n !== 1)).toEqual([]);
  }, 240_000);
});
