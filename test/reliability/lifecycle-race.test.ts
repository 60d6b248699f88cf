import { describe, expect, it } from 'vitest';
import { seededRng } from '../chaos/rng.ts';
import type { Api } from '../support/api-client.ts';
import { createUsers, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { mapLimit } from '../support/map-limit.ts';
import { targetUsers } from '../support/target-org.ts';

const USERS = 10;
const CLIENTS = 20;
const CALLS_PER_CLIENT = 11;

/** Approves whatever is pending and waits for the pushes, until nothing is left pending. */
async function settle(api: Api, appId: string): Promise<void> {
  for (let round = 0; round < 10; round++) {
    await waitIdle(api, appId, 60_000);
    const pending = await api.ok('GET', `/api/apps/${appId}/tasks?status=pending&limit=1`);
    if (pending.items.length === 0) return;
    await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
  }
  throw new Error('tasks kept appearing as pending');
}

describe('racing admins: assign, unassign and approve-all on the same users (issue 9, bug a)', () => {
  const { api, target } = useStack();

  it('never leaves an unassigned user provisioned, never holds two open tasks, never creates twice', async () => {
    // The seed picks each client's calls (their interleaving is the machine's); RACE_SEED replays a plan.
    const seed = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000);
    const { org, appId } = await setUpAppOnNewOrg(api, {
      onDelete: 'suspend',
    });
    const userIds = await createUsers(api, USERS, `race${seed}`);

    const rng = seededRng(seed);
    const plans = Array.from({ length: CLIENTS }, () =>
      Array.from({ length: CALLS_PER_CLIENT }, () => ({
        op: rng.int(4),
        userId: rng.pick(userIds),
      })),
    );
    const call = async ({ op, userId }: { op: number; userId: string }) => {
      if (op === 0) await api('POST', `/api/apps/${appId}/users`, { userId });
      else if (op === 1) await api('DELETE', `/api/apps/${appId}/users/${userId}`);
      else if (op === 2) await api('POST', `/api/apps/${appId}/tasks/approve-all`);
      else {
        const pending = await api('GET', `/api/apps/${appId}/tasks?status=pending&limit=5`);
        for (const task of pending.body?.items ?? [])
          await api('POST', `/api/apps/${appId}/tasks/${task.id}/approve`);
      }
    };
    await mapLimit(plans, CLIENTS, async (plan) => {
      for (const step of plan) await call(step);
    });
    // Every user's last action is an unassign, while other admins keep approving everything.
    await Promise.all([
      mapLimit(userIds, USERS, (userId) => call({ op: 1, userId })),
      mapLimit([0, 1, 2, 3], 4, () => call({ op: 2, userId: '' })),
    ]);
    await settle(api, appId);

    const appUsers = await api.all(`/api/apps/${appId}/users`);
    const wronglyProvisioned = appUsers.filter((u) => !u.assigned && u.state === 'provisioned');
    for (const u of wronglyProvisioned) {
      const story = (await api.all(`/api/provisioning-log?appId=${appId}&userId=${u.userId}`)).reverse();
      console.error(
        `seed ${seed}: ${u.email}`,
        JSON.stringify(u),
        story.map((e) => `${e.at} ${e.taskId} ${e.action} ${e.status} ${e.message}`).join('\n'),
      );
    }
    expect(
      wronglyProvisioned.map((u) => u.email),
      `seed ${seed}`,
    ).toEqual([]);
    const active = (await targetUsers(target, org.orgId)).filter((u) => u.active);
    expect(
      active.map((u) => u.userName),
      `seed ${seed}`,
    ).toEqual([]);

    const creates = await api.all(`/api/provisioning-log?appId=${appId}&action=create&status=succeeded`);
    const pushedCreates = new Map<string, number>();
    for (const event of creates.filter((e) => e.message.startsWith('Pushed to the target')))
      pushedCreates.set(event.userId, (pushedCreates.get(event.userId) ?? 0) + 1);
    expect(
      [...pushedCreates].filter(([, n]) => n > 1),
      `seed ${seed}`,
    ).toEqual([]);

    // At most one pending task per user at any instant: every pending_approval event was closed (approved,
    // denied or superseded) before the next one of the same user opened.
    const log = (await api.all(`/api/provisioning-log?appId=${appId}`)).reverse();
    const open = new Map<string, string>();
    const doubled: string[] = [];
    for (const event of log) {
      if (event.status === 'pending_approval') {
        if (open.has(event.userId))
          doubled.push(`${event.userId}: ${open.get(event.userId)} and ${event.taskId}`);
        open.set(event.userId, event.taskId);
      } else if (
        ['approved', 'denied', 'skipped'].includes(event.status) &&
        open.get(event.userId) === event.taskId
      )
        open.delete(event.userId);
    }
    expect(doubled, `seed ${seed}`).toEqual([]);
  });
});
