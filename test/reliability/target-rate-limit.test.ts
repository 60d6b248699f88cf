import { describe, expect, it } from 'vitest';
import { expectExactlyOnce } from '../support/expectations.ts';
import {
  APPROVE_DELETES_ONLY,
  assignNewUsers,
  setUpAppOnNewOrg,
  useStack,
  waitIdle,
} from '../support/factories.ts';
import { type TargetRequest, targetRequests, targetUsers } from '../support/target-org.ts';

const USERS = 40;

describe('fault 2: the target answers 429 with Retry-After', () => {
  const { api } = useStack();

  it('waits as told and pushes each user exactly once', async () => {
    // Two SCIM calls per user (lookup, create) at a burst rate far above this: about half get 429.
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: APPROVE_DELETES_ONLY,
      faults: { latencyMs: 0, errorRate: 0, rateLimit: { perSecond: 20 }, failNext: [] },
    });
    await assignNewUsers(api, appId, USERS, 'limited');
    await waitIdle(api, appId, 40_000);

    const requests = await targetRequests(api, org.orgId);
    const limited = requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // The target says Retry-After: 1; a user's next call after a 429 must come no sooner (journal times).
    const RETRY_AFTER_MS = 1000;
    const TIMER_SLACK_MS = 100;
    const calls = new Map<string, number[]>();
    for (const r of requests) {
      const subject = subjectOf(r);
      calls.set(subject, [...(calls.get(subject) ?? []), Date.parse(r.at)]);
    }
    let retriedAfterWait = 0;
    for (const r of limited) {
      const times = calls.get(subjectOf(r)) ?? [];
      const next = times.find((t) => t > Date.parse(r.at));
      if (next === undefined) continue;
      expect(next - Date.parse(r.at)).toBeGreaterThanOrEqual(RETRY_AFTER_MS - TIMER_SLACK_MS);
      retriedAfterWait += 1;
    }
    expect(retriedAfterWait).toBeGreaterThan(0);

    const creates = requests.filter((r) => r.method === 'POST' && r.path === '/Users' && r.status === 201);
    expect(creates.length).toBe(USERS);
    expectExactlyOnce(
      await targetUsers(api, org.orgId),
      Array.from({ length: USERS }, (_, i) => `limited-${i}@example.com`),
    );
    expect((await api.all(`/api/apps/${appId}/users?state=provisioned`)).length).toBe(USERS);

    const retrying = await api.all(`/api/provisioning-log?appId=${appId}&status=retrying`);
    expect(retrying.length).toBeGreaterThan(0);
    expect(retrying.every((e) => e.response?.status === 429 || /429|rate/i.test(e.message))).toBe(true);
    expect(await api.all(`/api/provisioning-log?appId=${appId}&status=failed`)).toEqual([]);
  });
});

/** Which user a SCIM call was about: the lookup filter's or the created resource's userName, else its path. */
function subjectOf(request: TargetRequest): string {
  const filtered = /userName eq "([^"]+)"/.exec(decodeURIComponent(request.path.replace(/\+/g, ' ')))?.[1];
  const created = (request.body as { userName?: string } | null)?.userName;
  return (filtered ?? created ?? request.path).toLowerCase();
}
