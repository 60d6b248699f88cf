import { describe, expect, it } from 'vitest';
import { buildUser, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { useLifecycle } from '../support/lifecycle-harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An admin's change is written in one step and planned in the next; the API process can die between
 * them. Here a second API (this test process, sharing the stack's Redis) makes the write and never
 * plans it, as if SIGKILLed there: the workers' repair sweep must plan it.
 */
describe('a change written but not yet planned when the API dies (issue 9, invariant 4)', () => {
  const { api, target, stack } = useStack();
  const dyingApi = useLifecycle(() => stack());

  /** Runs `write` the way the API does, then dies before planning it. */
  function writeThenDie(appIds: string[], userIds: string[], write: () => Promise<unknown>): Promise<void> {
    return new Promise((written) => {
      void dyingApi().lifecycle.replanAfter(appIds, userIds, async () => {
        await write();
        written();
        return new Promise(() => {});
      });
    });
  }

  async function waitForTask(appId: string, status: string) {
    for (;;) {
      const tasks = await api.ok('GET', `/api/apps/${appId}/tasks?status=${status}&limit=10`);
      if (tasks.items.length > 0) return tasks.items;
      await sleep(100);
    }
  }

  it('an assignment left unplanned is planned by the repair sweep, then pushed once approved', async () => {
    const { org, appId } = await setUpAppOnNewOrg(api);
    const user = await api.ok('POST', '/api/users', buildUser());

    await writeThenDie([appId], [user.id], () => dyingApi().stores.assignments.addDirect(appId, user.id));
    expect((await api.ok('GET', `/api/apps/${appId}/tasks?limit=10`)).items).toEqual([]);

    const [task] = await waitForTask(appId, 'pending');
    expect(task).toMatchObject({ userId: user.id, action: 'create' });
    await api.ok('POST', `/api/apps/${appId}/tasks/${task.id}/approve`);
    await waitIdle(api, appId);
    const onTarget = await target.all(`/target-api/orgs/${org.orgId}/users`);
    expect(onTarget.map((u) => u.userName)).toEqual([user.email]);
    const { redis, stores } = dyingApi();
    expect(await redis.zcard(stores.keys.appReplan(appId))).toBe(0);
  }, 60_000);

  it('a directory change left unplanned becomes its update task', async () => {
    const { appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: false, update: true, delete: true },
    });
    const user = await api.ok('POST', '/api/users', buildUser());
    await api.ok('POST', `/api/apps/${appId}/users`, { userId: user.id });
    await waitIdle(api, appId);

    await writeThenDie([appId], [user.id], () =>
      dyingApi().stores.users.update(user.id, { lastname: 'Renamed' }),
    );

    const [task] = await waitForTask(appId, 'pending');
    expect(task).toMatchObject({ userId: user.id, action: 'update' });
    expect(JSON.stringify(task.preview)).toContain('Renamed');
  }, 60_000);
});
