import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
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
import { targetPolicy } from '../../../shared/src/scim-client/target-policy.ts';
import type {
  LogStatus,
  NewLogEvent,
  TaskAction,
} from '../../../shared/src/store/provisioning-log/provisioning-log.ts';
import { verdict } from '../../../shared/src/store/push-outcomes.ts';
import { redactSecret } from '../../../shared/src/store/redact-secret.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import { type PushJob, pushJobSchema } from '../../../shared/src/types/task.schema.ts';
import { stepMessage, stepStatus } from './push-step.ts';
import { deferPush, planRateLimitWait } from './rate-limit-wait.ts';
import { NoLongerWanted, reconcileUser } from './reconcile-user.ts';

export interface SyncUserDeps {
  lifecycle: Lifecycle;
  config: Config;
  /** App records as recently read (see AppCache). */
  apps: { find(appId: string): Promise<AppRecord | null> };
  /** Pauses the app's pushes after the target refused our credentials. */
  quarantine(app: AppRecord, reason: string): Promise<void>;
}

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

const withoutEmptyBody = <T extends { body?: unknown }>(part: T): T => {
  const { body, ...rest } = part;
  return (body === undefined ? rest : { ...rest, body }) as T;
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
 * BullMQ processor for `{appId, userId}`: reloads the user's intent now, reconciles the target, and has
 * the lifecycle record the outcome with every step in one transition (a failed write fails the job).
 */
export function createSyncUserProcessor(deps: SyncUserDeps) {
  const { lifecycle, config } = deps;

  return async (job: Job<PushJob>, token?: string): Promise<void> => {
    const { appId, userId } = pushJobSchema.parse(job.data);
    // Queued tasks and state in one atomic read: a task approved later is left queued for its follow-up job, never marked done unpushed.
    const [app, { record, queued }] = await Promise.all([
      deps.apps.find(appId),
      lifecycle.startPush(appId, userId),
    ]);
    if (!app || !record) return;
    const tasks = queued.filter((t) => t.status === 'queued');
    // Every intent change comes with a queued task; a job finding none (a duplicate, or a follow-up whose
    // tasks an earlier run already settled) has nothing to push.
    if (tasks.length === 0) return;
    const latest = tasks.reduce((a, t) => (t.createdAt >= a.createdAt ? t : a));
    const attempt = job.attemptsMade + 1;
    const base = {
      appId,
      userId,
      taskId: latest.id,
      action: latest.action as TaskAction,
      attempt,
    };
    const exchanges: ScimExchange[] = [];
    const { scimBaseUrl, scimBearerToken, dialect } = app.configuration;

    /** `pushed`: what the last reconcile step changed on the target, written with the outcome. */
    const finish = async (reported: Outcome, pushed: AppUserPatch = {}) => {
      const outcome = redactSecret(reported, scimBearerToken);
      const failedAs: LogStatus = outcome.status === 'retrying' ? 'retrying' : 'failed';
      const events = exchanges.map((e) => exchangeEvent(base, redactSecret(e, scimBearerToken), failedAs));
      const summary =
        outcome.status === 'succeeded' ? `Pushed to the target (${base.action}).` : outcome.message;
      const targets = outcome.status !== 'retrying' ? tasks : [undefined];
      for (const task of targets)
        events.push({
          ...base,
          ...(task ? { taskId: task.id, action: task.action } : {}),
          status: outcome.status,
          message: summary,
        });
      const window = await lifecycle.finishPush({ appId, userId, tasks, outcome, pushed, events });
      const reason = outcome.status === 'failed' ? verdict(window) : null;
      if (reason) await deps.quarantine(app, reason);
    };

    if (!scimBaseUrl || !scimBearerToken) {
      await finish({ status: 'failed', message: 'The app has no SCIM Base URL or Bearer Token configured.' });
      throw new UnrecoverableError('app not configured');
    }
    const client = createScimClient(
      {
        baseUrl: scimBaseUrl,
        bearerToken: scimBearerToken,
        dialect,
        timeoutMs: config.PROVISIM_SCIM_TIMEOUT_MS,
        policy: targetPolicy(config),
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
        () => lifecycle.stillWanted(appId, userId),
      );
    } catch (caught) {
      if (caught instanceof NoLongerWanted) {
        await lifecycle.supersedeAtPush(appId, userId, tasks, caught.message);
        return;
      }
      // Everything past this point is stored (log, task, job record) or logged: drop an echoed token first.
      const err = caught instanceof ScimCallError ? withoutSecret(caught, scimBearerToken) : caught;
      const lastAttempt = attempt >= (job.opts.attempts ?? 1);
      if (!(err instanceof ScimCallError)) {
        // Not the target's answer (Redis went away, a bug): BullMQ retries; the last attempt records the failure.
        if (lastAttempt)
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
        await job.moveToDelayed(Date.now() + config.PROVISIM_RETRY_BASE_MS, token);
        throw new DelayedError();
      }
      const rateLimited = err.status === 429 ? planRateLimitWait(job.data, config, err.retryAfterMs) : null;
      if (rateLimited) {
        await finish({ status: 'retrying', message: `${rateLimited.message} ${err.message}` });
        await deferPush(job, token, rateLimited);
        throw new DelayedError();
      }
      if (err.kind === 'retryable' && !lastAttempt) {
        await finish({
          status: 'retrying',
          message: `Attempt ${attempt} failed, will retry: ${err.message}`,
        });
        throw err;
      }
      await finish({ status: 'failed', message: err.message });
      throw err.kind === 'retryable' ? err : new UnrecoverableError(err.message);
    }
    await finish({ status: 'succeeded' }, pushed);
  };
}
