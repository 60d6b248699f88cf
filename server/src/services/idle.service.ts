import { setTimeout as sleep } from 'node:timers/promises';
import type { Lifecycle } from '../../../shared/src/provisioning/lifecycle.ts';
import type { PushQueues } from '../../../shared/src/store/push-queues.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';

const POLL_MS = 50;

/** Waits until no task of the app is queued or staged by a bulk approval and its push queue holds no job, or the timeout passes. */
export async function waitForIdle(
  stores: Stores,
  lifecycle: Lifecycle,
  queues: PushQueues,
  appId: string,
  timeoutMs: number,
): Promise<boolean> {
  await stores.apps.get(appId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [queued, staged] = await Promise.all([
      stores.tasks.countWithStatus(appId, 'queued'),
      lifecycle.approvals.count(appId),
    ]);
    if (queued === 0 && staged === 0 && (await queues.busy(appId)) === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}
