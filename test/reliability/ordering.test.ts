import { describe, expect, it } from 'vitest';
import { assignNewUsers, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { mapLimit } from '../support/map-limit.ts';
import { type TargetRequest, targetRequests, targetUsers } from '../support/target-org.ts';

const USERS = 16;
const EDITS = 4;

describe('ordering per user through a burst of changes and a flaky target', () => {
  const { api } = useStack({ env: { PROVISIM_RETRY_BASE_MS: '20', PROVISIM_PUSH_ATTEMPTS: '20' } });

  it('creates before it updates, deletes last, and ends on the latest state', {
    timeout: 120_000,
  }, async () => {
    const { org, appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: false, update: false, delete: false },
      onDelete: 'delete',
      // One call in five fails with a 500, and every answer is a little slow: pushes retry and overlap edits.
      faults: { latencyMs: 15, errorRate: 0.2 },
    });
    const userIds = await assignNewUsers(api, appId, USERS, 'order');
    const removed = new Set(userIds.filter((_, i) => i % 4 === 0));
    await mapLimit(userIds, 8, async (userId) => {
      for (let edit = 1; edit <= EDITS; edit += 1)
        await api.ok('PATCH', `/api/users/${userId}`, { firstname: `Edit${edit}` });
      if (removed.has(userId)) await api.ok('DELETE', `/api/apps/${appId}/users/${userId}`);
    });
    await waitIdle(api, appId, 100_000);

    const onTarget = await targetUsers(api, org.orgId);
    expect(onTarget.map((u) => u.externalId).sort()).toEqual(userIds.filter((id) => !removed.has(id)).sort());
    for (const user of onTarget)
      expect(user.displayName, user.userName).toMatch(new RegExp(`^Edit${EDITS} Last\\d+$`));

    // Per account on the target: nothing reaches /Users/{id} before the create, nothing after a delete.
    const journal = await targetRequests(api, org.orgId);
    expect(journal.some((r) => r.status === 500)).toBe(true);
    const writes = journal.filter((r) => r.method !== 'GET' && r.status < 300);
    // One create per kept user; a user removed in the same burst may never have been created at all.
    const createdNames = writes
      .filter((r) => r.method === 'POST' && r.path === '/Users')
      .map((r) => (r.body as { userName: string }).userName);
    expect(createdNames.length).toBe(new Set(createdNames).size);
    const emailOf = (userId: string) => `order-${userIds.indexOf(userId)}@example.com`;
    for (const userId of userIds.filter((id) => !removed.has(id)))
      expect(createdNames).toContain(emailOf(userId));
    const removedAndCreated = [...removed].filter((id) => createdNames.includes(emailOf(id))).length;
    const byAccount = new Map<string, TargetRequest[]>();
    for (const r of writes) {
      const id = /^\/Users\/([^/?]+)/.exec(r.path)?.[1];
      if (id) byAccount.set(id, [...(byAccount.get(id) ?? []), r]);
    }
    const deletes = writes.filter((r) => r.method === 'DELETE');
    expect(deletes.length).toBe(removedAndCreated);
    for (const [id, requests] of byAccount) {
      const deleteAt = requests.findIndex((r) => r.method === 'DELETE');
      if (deleteAt >= 0) expect(deleteAt, `writes to ${id} after its delete`).toBe(requests.length - 1);
    }
    // Journal order is arrival order: an account's first write comes after the POST that created it.
    const createdAt = new Map(
      onTarget.map((u) => [
        u.scimId,
        journal.findIndex(
          (r) =>
            r.method === 'POST' &&
            r.status === 201 &&
            (r.body as { userName?: string })?.userName === u.userName,
        ),
      ]),
    );
    for (const [id, requests] of byAccount) {
      const created = createdAt.get(id);
      if (created === undefined) continue;
      expect(journal.indexOf(requests[0] as TargetRequest), `first write to ${id}`).toBeGreaterThan(created);
    }
  });
});
