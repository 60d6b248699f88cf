import { describe, expect, it } from 'vitest';
import { expectExactlyOnce } from '../support/expectations.ts';
import {
  APPROVE_DELETES_ONLY,
  assignNewUsers,
  setUpAppOnNewOrg,
  useStack,
  waitIdle,
} from '../support/factories.ts';
import { targetUsers } from '../support/target-org.ts';

/** 150 keeps `npm test` short; `FAULT_MIX_USERS=500 npx vitest run <this file>` is the run. */
const USERS = Number(process.env.FAULT_MIX_USERS ?? 150);
const WAIT = /waiting (\d+\.\d) s before trying again, no attempt spent/;

describe('the fault mix: errorRate 0.3, 50 requests/s, 20 ms latency', () => {
  // Short backoffs keep the 5xx retries quick; the 429 waits still follow the target's Retry-After (1 s).
  const { api, target } = useStack({ env: { PROVISIM_RETRY_BASE_MS: '20' } });

  it('provisions every user, spends no attempt on a 429, and logs lookups as lookups', {
    timeout: 900_000,
  }, async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: APPROVE_DELETES_ONLY,
      faults: { latencyMs: 20, errorRate: 0.3, rateLimit: { perSecond: 50 }, failNext: [] },
    });
    await assignNewUsers(api, appId, USERS, 'mix');
    await waitIdle(api, appId, 840_000);

    const failed = await api.all(`/api/apps/${appId}/users?state=failed`);
    expect(failed.map((u) => u.lastError)).toEqual([]);
    expect((await api.all(`/api/apps/${appId}/users?state=provisioned`)).length).toBe(USERS);
    expectExactlyOnce(
      await targetUsers(target, org.orgId),
      Array.from({ length: USERS }, (_, i) => `mix-${i}@example.com`),
    );
    const log = await api.all(`/api/provisioning-log?appId=${appId}`, 1000);
    expect(log.filter((e) => e.status === 'failed')).toEqual([]);

    // 429s wait without spending attempts: a push's attempt number counts its other failures only.
    const limited = log.filter((e) => e.response?.status === 429);
    const waits = log.filter((e) => e.request === undefined && WAIT.test(e.message));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((e) => e.status === 'retrying')).toBe(true);
    expect(waits.length).toBe(limited.length);
    const spent = new Map<string, number>();
    for (const e of log)
      if (e.request === undefined && /^Attempt \d+ failed/.test(e.message))
        spent.set(e.userId, (spent.get(e.userId) ?? 0) + 1);
    for (const e of log) expect(e.attempt ?? 1).toBeLessThanOrEqual((spent.get(e.userId) ?? 0) + 1);

    // "create succeeded" steps are the accounts created; lookups are logged as lookups.
    const createSteps = log.filter((e) => e.action === 'create' && e.status === 'succeeded' && e.request);
    expect(createSteps.every((e) => e.request.method === 'POST' && e.response.status === 201)).toBe(true);
    expect(new Set(createSteps.map((e) => e.userId)).size).toBe(USERS);
    expect(createSteps.length).toBe(USERS);
    const lookups = log.filter((e) => e.request?.method === 'GET' && e.response?.status === 200);
    expect(lookups.length).toBeGreaterThanOrEqual(USERS);
    expect(
      lookups.every(
        (e) =>
          e.status === 'looked_up' && /^Lookup GET \S*\/Users\?filter=.* → 200: no match$/.test(e.message),
      ),
    ).toBe(true);

    const waitedS = waits.reduce((sum, e) => sum + Number(WAIT.exec(e.message)?.[1]), 0);
    console.info(
      `fault mix: ${USERS} of ${USERS} provisioned, ${limited.length} answers of 429 (all waited out, ${waitedS.toFixed(1)} s of waits in total), ${spent.size} users retried after a 5xx, highest attempt ${Math.max(...log.map((e) => e.attempt ?? 1))}`,
    );
  });
});
