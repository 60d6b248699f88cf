import { setTimeout as sleep } from 'node:timers/promises';
import type { PushQueues } from '../../../shared/src/store/push-queues.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';

const POLL_MS = 50;

/** Waits until no task of the app is queued and its push queue holds no job, or the timeout passes. */
export async function waitForIdle(
  stores: Stores,
  queues: PushQueues,
  appId: string,
  timeoutMs: number,
): Promise<boolean> {
  await stores.apps.get(appId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queued = await stores.tasks.countWithStatus(appId, 'queued');
    if (queued === 0 && (await queues.busy(appId)) === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}
