import type { PushQueues } from '../../../../shared/src/store/push-queues.ts';

/**
 * Puts the user's push at the head of the app's queue: a job waiting behind others is replaced by one
 * added LIFO, a job waiting out a retry backoff is promoted, a running job is left to run (its follow-up
 * is kept by the queue's deduplication). A batch job holding the user too finds nothing left to push
 * when it gets there. Jobs carry only keys, so replacing one loses nothing.
 */
export async function pushFirst(queues: PushQueues, appId: string, userId: string) {
  const queue = queues.queue(appId);
  const jobId = await queue.getDeduplicationJobId(userId);
  const job = jobId ? await queue.getJob(jobId) : undefined;
  const state = job ? await job.getState() : 'unknown';
  if (job && state === 'delayed') return job.promote();
  if (state === 'active' || state === 'prioritized' || state === 'waiting-children') return;
  if (job && state === 'waiting') await job.remove();
  await queues.pushAlone(appId, userId, { first: true });
}
