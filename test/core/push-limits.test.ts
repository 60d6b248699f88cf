import { describe, expect, it } from 'vitest';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';

interface JournalEntry {
  at: string;
  method: string;
  path: string;
}

/**
 * Per-app concurrency and rate limit, read off the target's own request journal: its `at` is taken when a
 * request arrives, before the org's injected latency, so the spacing below follows from the limits alone.
 */
describe('per-app push limits', () => {
  const { api, target } = useStack();

  async function appWithLimits(limits: { concurrency: number; rateLimitPerSecond: number | null }) {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: false, update: false, delete: false },
    });
    const provisioning = await api('PUT', `/api/apps/${appId}/provisioning`, {
      enabled: true,
      requireApproval: { create: false, update: false, delete: false },
      onDelete: 'suspend',
      onSuspend: 'suspend',
      ...limits,
    });
    expect(provisioning.status).toBe(200);
    expect(provisioning.body.provisioning).toMatchObject(limits);
    return { appId, orgId: org.orgId };
  }

  async function pushUsers(appId: string, count: number): Promise<string[]> {
    const emails: string[] = [];
    for (let i = 0; i < count; i++) {
      const user = (await api('POST', '/api/users', buildUser())).body;
      emails.push(user.email);
      await api('POST', `/api/apps/${appId}/users`, { userId: user.id });
    }
    await waitIdle(api, appId, 60_000);
    return emails;
  }

  async function userRequests(orgId: string): Promise<JournalEntry[]> {
    const journal = await target('GET', `/target-api/orgs/${orgId}/requests?limit=500`);
    expect(journal.status).toBe(200);
    // Enable's own GET /Users read (it proves the token) is not a push: a push reads by `filter=userName eq`.
    const pushes = (entry: JournalEntry) =>
      entry.path.startsWith('/Users') && (entry.method !== 'GET' || entry.path.includes('filter='));
    return (journal.body.items as JournalEntry[]).filter(pushes);
  }

  const arrivals = (entries: JournalEntry[]) =>
    entries.map((entry) => Date.parse(entry.at)).sort((a, b) => a - b);
  /** For each arrival, the time until the arrival `step` places later. */
  const gaps = (times: number[], step: number) => times.slice(step).map((time, i) => time - (times[i] ?? 0));

  it('never has more requests in flight on the target than the app concurrency', async () => {
    const concurrency = 2;
    const latencyMs = 150;
    const { appId, orgId } = await appWithLimits({ concurrency, rateLimitPerSecond: null });
    expect((await target('PUT', `/target-api/orgs/${orgId}/faults`, { latencyMs })).status).toBe(200);

    const emails = await pushUsers(appId, 8);

    const requests = await userRequests(orgId);
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(emails.length);
    // Request i + concurrency can only leave once one of the `concurrency` requests before it has been
    // answered, which takes at least the injected latency after it arrived (1 ms for the journal's rounding).
    // On failure, the journal says which requests overlapped (once seen in CI's cluster suite only).
    expect(
      Math.min(...gaps(arrivals(requests), concurrency)),
      JSON.stringify(requests.map(({ at, method, path }) => `${at} ${method} ${path}`)),
    ).toBeGreaterThanOrEqual(latencyMs - 1);
  });

  it('starts no more pushes per second than the app rate limit', async () => {
    const perSecond = 2;
    const users = 8;
    const { appId, orgId } = await appWithLimits({ concurrency: 16, rateLimitPerSecond: perSecond });

    await pushUsers(appId, users);

    // Each push begins with its `userName eq` lookup. BullMQ's limiter lets `perSecond` jobs start per
    // window of one second, so 8 pushes at 2 per second span at least three windows after the first.
    const lookups = arrivals((await userRequests(orgId)).filter((r) => r.method === 'GET'));
    expect(lookups).toHaveLength(users);
    const windowsAfterFirst = Math.ceil(users / perSecond) - 1;
    // The allowance covers how late the first lookup may reach the target after its job started.
    const allowanceMs = 1000;
    const [firstToLast] = gaps(lookups, users - 1);
    expect(firstToLast).toBeGreaterThanOrEqual(windowsAfterFirst * 1000 - allowanceMs);
  });
});
