import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { PushLoad } from '../../../shared/src/store/app-users.store.ts';
import type { PushQueues } from '../../../shared/src/store/push-queues.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import { type PushJob, pushJobSchema } from '../../../shared/src/types/task.schema.ts';
import { pushBackoff } from '../queues/backoff.ts';
import { OutcomesBeingWritten } from './outcomes-being-written.ts';
import { type PushAttempt, type PushUserDeps, pushUser, startUserPush } from './push-user.ts';
import type { PushesUnderWay } from './pushes-under-way.ts';
import { deferPush } from './rate-limit-wait.ts';

export interface PushProcessorDeps extends PushUserDeps {
  /** App records as recently read (see AppCache). */
  apps: { find(appId: string): Promise<AppRecord | null> };
  /** The app's queue, for pushes that go back to it. */
  queues: Pick<PushQueues, 'pushAlone' | 'enqueue'>;
  /** This process's pushes under way, counted for the lifecycle (see LifecycleOptions). */
  underWay: PushesUnderWay;
}

const countedPush = (deps: PushProcessorDeps, push: PushAttempt) =>
  deps.underWay.run(push.app.id, () => pushUser(deps, push));

/** A user another push holds is looked at again this soon, or when that push's lease ends if sooner. */
const BUSY_RECHECK_MS = 1000;
const recheckIn = (untilMs: number) => Math.max(50, Math.min(untilMs - Date.now(), BUSY_RECHECK_MS));

/**
 * BullMQ processor of the app's push jobs. A job of one user is that user's push: its retries and waits
 * are the job's (BullMQ's attempts and backoff, delays that spend no attempt). A batch job pushes its
 * users one after another; a user whose push must wait or retry goes back to the queue as a job of its
 * own, carrying what it spent, so one user's trouble never holds up or repeats the others' pushes.
 */
export function createPushProcessor(deps: PushProcessorDeps) {
  return async (job: Job<PushJob>, token?: string): Promise<void> => {
    const data = pushJobSchema.parse(job.data);
    const app = await deps.apps.find(data.appId);
    if (!app) return;
    const push = {
      app,
      owner: job.id as string,
      attempt: (data.attemptsBefore ?? 0) + job.attemptsMade + 1,
      lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    };
    const [first] = data.userIds;
    if (data.userIds.length === 1 && first)
      return pushOneUser(deps, job, token, { ...push, userId: first, rateLimited: data.rateLimited });
    // BullMQ's rate limiter counts jobs: under a rate limit, every user's push is a job.
    if (app.provisioning.rateLimitPerSecond) {
      for (const userId of data.userIds) await deps.queues.pushAlone(app.id, userId, {});
      return;
    }
    return pushBatch(deps, data.userIds, push);
  };
}

async function pushOneUser(
  deps: PushProcessorDeps,
  job: Job<PushJob>,
  token: string | undefined,
  push: PushAttempt,
): Promise<void> {
  const result = await countedPush(deps, push);
  switch (result.kind) {
    case 'done':
      return;
    case 'busy':
      await job.moveToDelayed(Date.now() + recheckIn(result.untilMs), token);
      throw new DelayedError();
    case 'quarantined':
      await job.moveToDelayed(Date.now() + deps.config.PROVISIM_RETRY_BASE_MS, token);
      throw new DelayedError();
    case 'rateLimited':
      await deferPush(job, token, result.wait);
      throw new DelayedError();
    case 'retry':
      throw result.error;
    case 'failed':
      throw result.retryable ? result.error : new UnrecoverableError(result.error.message);
  }
}

/**
 * Pushes a batch's users one after another, each user's outcome written while the next user's push goes
 * to the target (see OutcomesBeingWritten). Errors of the pushes and of those writes are all thrown,
 * once every write has settled.
 */
async function pushBatch(
  deps: PushProcessorDeps,
  userIds: string[],
  push: Omit<PushAttempt, 'userId'>,
): Promise<void> {
  const writes = new OutcomesBeingWritten();
  const errors: unknown[] = [];
  try {
    await pushInTurn(deps, userIds, push, writes);
  } catch (err) {
    errors.push(err);
  }
  errors.push(...(await writes.failures()));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} failures in one batch push`);
}

/**
 * The batch's users in turn, each user's start taken while the user before it is pushed (`startAhead`),
 * so that neither the start nor the write of an outcome stands between the target and its next request.
 */
async function pushInTurn(
  deps: PushProcessorDeps,
  userIds: string[],
  push: Omit<PushAttempt, 'userId'>,
  writes: OutcomesBeingWritten,
): Promise<void> {
  const appId = push.app.id;
  const spent = push.attempt - 1;
  let ahead: StartAhead | undefined;
  try {
    for (const [i, userId] of userIds.entries()) {
      // Read before each user: once the app is quarantined (here or by another worker), the rest wait in its paused queue.
      const app = await deps.apps.find(appId);
      if (!app) return;
      if (app.quarantine) return deps.queues.enqueue(appId, userIds.slice(i));
      // The first user's push takes its own start.
      const started = ahead?.load;
      const next = userIds[i + 1];
      // Its start may wait for the other jobs' only if this job adds another before it needs this one.
      const mayWait = i + 2 < userIds.length;
      ahead = next === undefined ? undefined : startAhead(deps, { ...push, app, userId: next }, mayWait);
      let result: Awaited<ReturnType<typeof pushUser>>;
      try {
        result = await countedPush(deps, { ...push, app, userId, started, writeInBackground: true });
        if (result.kind === 'done' && result.written) await writes.add(result.written);
      } catch (err) {
        // The batch is retried as a whole (users already settled find nothing left to push); after its
        // last attempt, the users it did not reach go on in jobs of their own.
        if (push.lastAttempt)
          for (const rest of userIds.slice(i + 1))
            await deps.queues.pushAlone(appId, rest, { attemptsBefore: spent });
        throw err;
      }
      switch (result.kind) {
        case 'busy':
          await deps.queues.pushAlone(appId, userId, {
            delayMs: recheckIn(result.untilMs),
            attemptsBefore: spent,
          });
          break;
        case 'retry':
          await deps.queues.pushAlone(appId, userId, {
            delayMs: pushBackoff(deps.config.PROVISIM_RETRY_BASE_MS, push.attempt, result.error.retryAfterMs),
            attemptsBefore: push.attempt,
          });
          break;
        case 'rateLimited':
          await deps.queues.pushAlone(appId, userId, {
            delayMs: result.wait.waitMs,
            rateLimited: result.wait.rateLimited,
            attemptsBefore: spent,
          });
          break;
        case 'quarantined':
          // The target refused our credentials: this user and the rest wait in the paused queue for Enable.
          return deps.queues.enqueue(appId, userIds.slice(i));
        case 'done':
        case 'failed':
          break;
      }
    }
  } finally {
    // A start taken ahead for a user this job no longer pushes: its lease is released at once.
    if (ahead) writes.keep(releaseStart(deps, ahead));
  }
}

/** A user's push start, taken ahead of its turn. */
interface StartAhead {
  userId: string;
  app: AppRecord;
  owner: string;
  load: Promise<PushLoad>;
}

function startAhead(
  deps: PushProcessorDeps,
  push: Pick<PushAttempt, 'app' | 'userId' | 'owner'>,
  mayWait: boolean,
): StartAhead {
  const load = startUserPush(deps, push, mayWait);
  // Awaited by the user's push or by releaseStart; until then a failed start must not count as unhandled.
  load.catch(() => undefined);
  return { ...push, load };
}

async function releaseStart(deps: PushProcessorDeps, start: StartAhead): Promise<void> {
  const load = await start.load;
  if ('lease' in load) await deps.lifecycle.endPush(start.app.id, start.userId, start.owner);
}
