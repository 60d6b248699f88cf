import type { Config } from '../../../shared/src/config/env.ts';
import type {
  AppUserPatch,
  Lifecycle,
  PushOutcomeStatus as Outcome,
} from '../../../shared/src/provisioning/lifecycle.ts';
import {
  createScimClient,
  ScimCallError,
  type ScimExchange,
} from '../../../shared/src/scim-client/scim-client.ts';
import type { TargetPolicy } from '../../../shared/src/scim-client/target-policy.ts';
import type { PushLoad } from '../../../shared/src/store/app-users.store.ts';
import type {
  LogStatus,
  NewLogEvent,
  TaskAction,
} from '../../../shared/src/store/provisioning-log/provisioning-log.ts';
import { verdict } from '../../../shared/src/store/push-outcomes.ts';
import { redactSecret } from '../../../shared/src/store/redact-secret.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import { stepMessage, stepStatus } from './push-step.ts';
import { planRateLimitWait, type RateLimited, type RateLimitWait } from './rate-limit-wait.ts';
import { NoLongerWanted, reconcileUser } from './reconcile-user.ts';

export interface PushUserDeps {
  lifecycle: Lifecycle;
  config: Config;
  /** The hosts and addresses SCIM requests may reach (from the config, worked out once). */
  policy: TargetPolicy;
  /** Pauses the app's pushes after the target refused our credentials. */
  quarantine(app: AppRecord, reason: string): Promise<void>;
}

/** One user's push as its job runs it: the job (the lease's owner) and what the push spent so far. */
export interface PushAttempt {
  app: AppRecord;
  userId: string;
  owner: string;
  /** This attempt's number, counted across the jobs the push went through. */
  attempt: number;
  lastAttempt: boolean;
  rateLimited?: RateLimited;
  /** Its start (see `startUserPush`), when the batch took it ahead. */
  started?: Promise<PushLoad>;
  /**
   * A successful push answers once the target is done with it, its outcome still being written (see
   * `written`), so the caller's next push may go to the target meanwhile.
   */
  writeInBackground?: boolean;
}

/**
 * How a push ended, for its job to act on: `done` (settled, or nothing to push; `written`, with
 * `writeInBackground`: its outcome's write, which rejects as a failed finish throws); `busy` (another push
 * of the user holds its lease until `untilMs`); `retry` after `error` (an attempt spent, the outcome
 * logged as retrying); `rateLimited` (no attempt spent); `quarantined` (the app is paused); `failed`
 * (the outcome logged as failed; `retryable`: the target's answer was a transient one). Errors that are not the target's answer are thrown instead.
 */
export type PushResult =
  | { kind: 'done'; written?: Promise<void> }
  | { kind: 'busy'; untilMs: number }
  | { kind: 'retry'; error: ScimCallError }
  | { kind: 'rateLimited'; wait: RateLimitWait }
  | { kind: 'quarantined' }
  | { kind: 'failed'; error: Error; retryable: boolean };

/** How long a push may hold its user before another push may take it: past any push that still runs. */
export const pushLeaseMs = (config: Config): number => 4 * config.PROVISIM_SCIM_TIMEOUT_MS + 10_000;

/** Takes the user's lease for the push and reads what it reconciles from (see `Lifecycle.startPush`). */
export const startUserPush = (
  deps: PushUserDeps,
  push: Pick<PushAttempt, 'app' | 'userId' | 'owner'>,
  ahead = false,
): Promise<PushLoad> =>
  deps.lifecycle.startPush(
    push.app.id,
    push.userId,
    { owner: push.owner, ms: pushLeaseMs(deps.config) },
    ahead,
  );

const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
};

const withoutSecret = (err: ScimCallError, secret: string): ScimCallError =>
  new ScimCallError(
    err.kind,
    redactSecret(err.message, secret),
    redactSecret(err.exchange, secret),
    err.status,
    err.retryAfterMs,
  );

/** The part without a `body` key whose value is undefined (copied only then). */
const withoutEmptyBody = <T extends { body?: unknown }>(part: T): T => {
  if (part.body !== undefined || !('body' in part)) return part;
  const { body: _none, ...rest } = part;
  return rest as T;
};

function exchangeEvent(
  base: Omit<NewLogEvent, 'status' | 'message'>,
  exchange: ScimExchange,
  failedAs: LogStatus,
): NewLogEvent {
  const ok = exchange.response !== undefined && exchange.response.status < 400;
  const answer = exchange.response ? String(exchange.response.status) : (exchange.error ?? 'no answer');
  return {
    ...base,
    status: ok ? stepStatus(exchange) : failedAs,
    message: stepMessage(exchange, `${exchange.request.method} ${pathOf(exchange.request.url)}`, answer),
    request: withoutEmptyBody(exchange.request),
    ...(exchange.response ? { response: withoutEmptyBody(exchange.response) } : {}),
    durationMs: Math.round(exchange.durationMs),
  };
}

/**
 * Pushes one user: takes its lease and reloads its intent now, reconciles the target, and has the
 * lifecycle record the outcome with every step in one transition (a failed write throws).
 */
export async function pushUser(deps: PushUserDeps, push: PushAttempt): Promise<PushResult> {
  const { lifecycle, config } = deps;
  const { app, userId, owner, attempt } = push;
  const appId = app.id;
  // Queued tasks and state in one atomic read: a task approved later is left queued for its follow-up job, never marked done unpushed.
  const load = await (push.started ?? startUserPush(deps, push));
  if ('busyUntil' in load) return { kind: 'busy', untilMs: load.busyUntil };
  const { record, queued, lease } = load;
  if (!record) return { kind: 'done' };
  const tasks = queued.filter((t) => t.status === 'queued');
  // Every intent change comes with a queued task; a push finding none (a duplicate, or a follow-up whose
  // tasks an earlier run already settled) has nothing to push.
  if (tasks.length === 0) {
    await lifecycle.endPush(appId, userId, owner);
    return { kind: 'done' };
  }
  const latest = tasks.reduce((a, t) => (t.createdAt >= a.createdAt ? t : a));
  const base = { appId, userId, taskId: latest.id, action: latest.action as TaskAction, attempt };
  const exchanges: ScimExchange[] = [];
  const { scimBaseUrl, scimBearerToken, dialect } = app.configuration;

  /** `pushed`: what the last reconcile step changed on the target, written with the outcome. */
  const finish = async (reported: Outcome, pushed: AppUserPatch = {}) => {
    const outcome = redactSecret(reported, scimBearerToken);
    const failedAs: LogStatus = outcome.status === 'retrying' ? 'retrying' : 'failed';
    const events = exchanges.map((e) => exchangeEvent(base, redactSecret(e, scimBearerToken), failedAs));
    const summary =
      outcome.status === 'succeeded' ? `Pushed to the target (${base.action}).` : outcome.message;
    const outcomeEvent = (taskId: string, action: TaskAction): NewLogEvent => ({
      ...base,
      taskId,
      action,
      status: outcome.status,
      message: summary,
    });
    if (outcome.status === 'retrying') events.push(outcomeEvent(base.taskId, base.action));
    else for (const task of tasks) events.push(outcomeEvent(task.id, task.action));
    const window = await lifecycle.finishPush({ appId, userId, lease, tasks, outcome, pushed, events });
    const reason = outcome.status === 'failed' ? verdict(window) : null;
    if (reason) await deps.quarantine(app, reason);
  };

  if (!scimBaseUrl || !scimBearerToken) {
    await finish({ status: 'failed', message: 'The app has no SCIM Base URL or Bearer Token configured.' });
    return { kind: 'failed', error: new Error('app not configured'), retryable: false };
  }
  const client = createScimClient(
    {
      baseUrl: scimBaseUrl,
      bearerToken: scimBearerToken,
      dialect,
      timeoutMs: config.PROVISIM_SCIM_TIMEOUT_MS,
      policy: deps.policy,
      patchSupported: app.configuration.patchSupported,
      deleteEmptiedGroups: app.provisioning.emptyGroups === 'delete',
    },
    { onExchange: (exchange) => void exchanges.push(exchange) },
  );
  let pushed: AppUserPatch;
  try {
    pushed = await reconcileUser(
      record,
      client,
      (patch) => lifecycle.recordPushStep(appId, userId, patch),
      load.creating,
    );
  } catch (caught) {
    if (caught instanceof NoLongerWanted) {
      await lifecycle.supersedeAtPush(appId, userId, owner, tasks, caught.message);
      return { kind: 'done' };
    }
    // Everything past this point is stored (log, task, job record) or logged: drop an echoed token first.
    const err = caught instanceof ScimCallError ? withoutSecret(caught, scimBearerToken) : caught;
    if (!(err instanceof ScimCallError)) {
      // Not the target's answer (Redis went away, a bug): the job is retried; the last attempt records the failure.
      if (push.lastAttempt)
        await finish({ status: 'failed', message: `Push failed: ${(err as Error).message}` });
      throw err;
    }
    if (err.kind === 'auth') {
      const reason = `The target refused the credentials (${err.status ?? 'auth'}): ${err.message}`;
      await deps.quarantine(app, reason);
      await finish({
        status: 'retrying',
        message: `App quarantined; the push resumes after Enable succeeds. ${reason}`,
      });
      return { kind: 'quarantined' };
    }
    const wait = err.status === 429 ? planRateLimitWait(push.rateLimited, config, err.retryAfterMs) : null;
    if (wait) {
      await finish({ status: 'retrying', message: `${wait.message} ${err.message}` });
      return { kind: 'rateLimited', wait };
    }
    if (err.kind === 'retryable' && !push.lastAttempt) {
      await finish({ status: 'retrying', message: `Attempt ${attempt} failed, will retry: ${err.message}` });
      return { kind: 'retry', error: err };
    }
    await finish({ status: 'failed', message: err.message });
    return { kind: 'failed', error: err, retryable: err.kind === 'retryable' };
  }
  const written = finish({ status: 'succeeded' }, pushed);
  if (push.writeInBackground) return { kind: 'done', written };
  await written;
  return { kind: 'done' };
}
