import type { Api, Reply } from '../support/api-client.ts';
import { createTargetOrg, setUpApp, waitHealthy, waitIdle } from '../support/factories.ts';
import { type TargetOrg, throughOrigin } from '../support/target-org.ts';
import { type ChaosStack, WORKERS } from './chaos-stack.ts';
import { type AdminStep, type History, isProcessKill } from './history.ts';
import { checkInvariants, type IntendedUser, scimUsers } from './invariants.ts';

export interface HistoryResult {
  violations: string[];
  /** The log of each user a violation names, to read what happened. */
  stories: string[];
  faults: number;
  steps: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a step's request is sent again before the run gives up on it. */
const DEFINITE_WITHIN_MS = 60_000;

/**
 * Sends a request until it gets a definite answer: a request cut by a fault (no answer, or 503 while
 * Redis or one master of a cluster restarts) is sent again once the API is healthy, as an admin would.
 * The API can be healthy while one master still restarts (its apps answer 503), so each try after the
 * first waits a little too. The steps are idempotent.
 */
async function definite(stack: ChaosStack, send: () => Promise<Reply>): Promise<Reply> {
  const deadline = Date.now() + DEFINITE_WITHIN_MS;
  for (;;) {
    const reply = await send().catch(() => null);
    if (reply && reply.status < 500) return reply;
    if (Date.now() > deadline)
      throw new Error(
        `no definite answer within ${DEFINITE_WITHIN_MS} ms: ${reply?.text ?? 'no reply'}\n${stack.unhandledErrors().join('\n')}`,
      );
    await waitHealthy(stack.apiUrl, DEFINITE_WITHIN_MS).catch(() => undefined);
    await sleep(50);
  }
}

/** Runs one history on the stack, settles it, and answers the invariants it broke. */
export async function runHistory(stack: ChaosStack, history: History): Promise<HistoryResult> {
  const { api, target } = stack;
  const org = await createTargetOrg(target);
  const appId = await setUpApp(api, {
    scimBaseUrl: throughOrigin(org.scimBaseUrl, stack.scimOrigin),
    token: org.token,
    requireApproval: history.approval,
    onDelete: history.onDelete,
    onSuspend: 'suspend',
  });
  const model: IntendedUser[] = [];
  const run = stack.nextRun();
  for (let i = 0; i < history.users; i++) {
    const input = {
      firstname: `U${i}`,
      lastname: 'L',
      email: `chaos-${history.seed}-${run}-${i}@example.com`,
    };
    const user = await api.ok('POST', '/api/users', input);
    model.push({ id: user.id, ...input, exists: true, assigned: false, status: 'active' });
  }

  const progress = history.admins.map(() => 0);
  let approvedAll = 0;
  let adminsDone = false;
  let faults = 0;
  const chaos = (async () => {
    for (const fault of [...history.faults].sort((a, b) => a.afterStep - b.afterStep)) {
      const firstDone = () => (progress[0] ?? 0) >= Math.min(fault.afterStep, history.admins[0]?.length ?? 0);
      while (!firstDone()) await sleep(20);
      if (isProcessKill(fault.kind)) {
        const seen = approvedAll;
        while (approvedAll === seen && !adminsDone) await sleep(5);
      }
      await stack.inject(fault.kind, org.orgId);
      faults += 1;
    }
  })();
  await Promise.all(
    history.admins.map(async (steps, admin) => {
      for (const step of steps) {
        await runStep(stack, api, appId, model, step, admin, history.admins.length);
        if (step.op === 'approveAll') approvedAll += 1;
        progress[admin] = (progress[admin] ?? 0) + 1;
      }
    }),
  );
  adminsDone = true;
  // Faults not fired yet fire now, while the last pushes run.
  await chaos;

  await stack.clearTargetFaults(org.orgId);
  const deniedCheck = await settle(api, appId, org, model);
  const violations = [
    ...deniedCheck,
    ...(await checkInvariants({ stack, appId, org, model, onDelete: history.onDelete })),
    ...(await workersCounted(stack)),
  ];
  const stories = violations.length > 0 ? await tellStories(api, appId, model, violations) : [];
  return { violations, stories, faults, steps: history.admins.flat().length };
}

async function runStep(
  stack: ChaosStack,
  api: Api,
  appId: string,
  model: IntendedUser[],
  step: AdminStep,
  admin: number,
  admins: number,
): Promise<void> {
  const call = (method: string, path: string, body?: unknown) =>
    definite(stack, () => api(method, path, body));
  const user = 'user' in step ? (model[step.user] as IntendedUser) : undefined;
  switch (step.op) {
    case 'assign': {
      const u = user as IntendedUser;
      const body = { userId: u.id };
      const replies = await Promise.all(
        (step.twice ? [0, 1] : [0]).map(() => call('POST', `/api/apps/${appId}/users`, body)),
      );
      if (replies.some((r) => r.status === 201)) u.assigned = true;
      return;
    }
    case 'assignMine': {
      const mine = model.filter((_, i) => i % admins === admin);
      await Promise.all(
        mine.map(async (u) => {
          const reply = await call('POST', `/api/apps/${appId}/users`, { userId: u.id });
          if (reply.status === 201) u.assigned = true;
        }),
      );
      return;
    }
    case 'unassign': {
      const u = user as IntendedUser;
      const reply = await call('DELETE', `/api/apps/${appId}/users/${u.id}`);
      if (reply.status === 204 || reply.status === 404) u.assigned = false;
      return;
    }
    case 'update': {
      const u = user as IntendedUser;
      const reply = await call('PATCH', `/api/users/${u.id}`, { lastname: step.lastname });
      if (reply.status === 200) u.lastname = step.lastname;
      return;
    }
    case 'suspend':
    case 'reactivate': {
      const u = user as IntendedUser;
      const reply = await call('POST', `/api/users/${u.id}/${step.op}`);
      if (reply.status === 200) u.status = step.op === 'suspend' ? 'suspended' : 'active';
      return;
    }
    case 'delete': {
      const u = user as IntendedUser;
      const reply = await call('DELETE', `/api/users/${u.id}`);
      if (reply.status === 204 || reply.status === 404) u.exists = false;
      return;
    }
    case 'approve':
    case 'deny': {
      const pending = await call('GET', `/api/apps/${appId}/tasks?status=pending&limit=1000`);
      const task = (pending.body?.items ?? []).find((t: { userId: string }) => t.userId === user?.id);
      if (task) await call('POST', `/api/apps/${appId}/tasks/${task.id}/${step.op}`, {});
      return;
    }
    case 'approveAll':
      await call('POST', `/api/apps/${appId}/tasks/approve-all`);
      return;
    case 'retry': {
      const failed = await call('GET', `/api/apps/${appId}/tasks?status=failed&limit=1000`);
      for (const task of failed.body?.items ?? [])
        await call('POST', `/api/apps/${appId}/tasks/${task.id}/retry`);
      return;
    }
    case 'reapply':
      await call('POST', `/api/apps/${appId}/reapply-mappings`);
      return;
  }
}

/**
 * Lets the history finish: waits for the workers, then (as an admin would) retries what failed,
 * reapplies mappings and approves what is pending, until nothing is left to do. Before the first
 * round, checks that no user whose create was denied reached the target.
 */
async function settle(api: Api, appId: string, org: TargetOrg, model: IntendedUser[]): Promise<string[]> {
  const violations: string[] = [];
  const idle = async () => {
    try {
      await waitIdle(api, appId, 90_000);
      return true;
    } catch (err) {
      violations.push(`inv6 nothing in flight: ${(err as Error).message}`);
      return false;
    }
  };
  for (let round = 0; round < 15; round++) {
    if (!(await idle())) return violations;
    if (round === 0) {
      violations.push(...(await deniedNeverCreated(api, appId, org)));
      violations.push(...(await everyChangePlanned(api, appId, model)));
    }
    const failed = (await api.ok('GET', `/api/apps/${appId}/tasks?status=failed&limit=1000`)).items;
    for (const task of failed) await api('POST', `/api/apps/${appId}/tasks/${task.id}/retry`);
    const reapplied = await api.ok('POST', `/api/apps/${appId}/reapply-mappings`);
    const pending = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending&limit=1000`)).items;
    if (pending.length > 0) await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`);
    if (failed.length === 0 && pending.length === 0 && reapplied.queued === 0 && reapplied.pending === 0) {
      await idle();
      return violations;
    }
  }
  return [...violations, 'settle: the app kept producing work after 15 rounds'];
}

/** How long the repair sweep may take to plan a change a crash left unplanned (5 s grace, every 5 s). */
const REPLAN_WITHIN_MS = 15_000;

/**
 * Invariant 4, seen from outside: before any reapply, every answered assign and unassign has been
 * planned (the app user's `assigned` is the model's), at the latest by the repair sweep.
 */
async function everyChangePlanned(api: Api, appId: string, model: IntendedUser[]): Promise<string[]> {
  const deadline = Date.now() + REPLAN_WITHIN_MS;
  for (;;) {
    const appUsers = new Map((await api.all(`/api/apps/${appId}/users`)).map((u) => [u.userId, u]));
    const unplanned = model.filter(
      (user) => (appUsers.get(user.id)?.assigned ?? false) !== (user.exists && user.assigned),
    );
    if (unplanned.length === 0) return [];
    if (Date.now() > deadline)
      return unplanned.map(
        (user) =>
          `inv4 change planned: ${user.email} is ${user.exists && user.assigned ? '' : 'not '}assigned, the app user says otherwise`,
      );
    await sleep(200);
  }
}

/** Invariant 8's "denied → never created": an app user left denied has no account on the target. */
async function deniedNeverCreated(api: Api, appId: string, org: TargetOrg): Promise<string[]> {
  const denied = await api.all(`/api/apps/${appId}/users?state=denied`);
  const violations: string[] = [];
  for (const appUser of denied) {
    const found = await scimUsers(org, appUser.email);
    if (found.length > 0) violations.push(`inv8 denied→never created: ${appUser.email} is on the target`);
  }
  return violations;
}

/** The provisioning log of each user a violation names, oldest first, to see what happened. */
async function tellStories(
  api: Api,
  appId: string,
  model: IntendedUser[],
  violations: string[],
): Promise<string[]> {
  const stories: string[] = [];
  for (const user of model) {
    if (!violations.some((v) => v.includes(user.email))) continue;
    const appUser = await api('GET', `/api/apps/${appId}/users/${user.id}`);
    const events = (await api.all(`/api/provisioning-log?appId=${appId}&userId=${user.id}`)).reverse();
    const lines = events.map(
      (e) =>
        `    ${e.at} ${e.taskId.slice(0, 8)} ${e.action} ${e.status}${e.attempt ? ` #${e.attempt}` : ''}: ${e.message}`,
    );
    stories.push(
      `story of ${user.email} (intent ${JSON.stringify({ exists: user.exists, assigned: user.assigned, status: user.status })}, app user ${JSON.stringify({ state: appUser.body?.state, assigned: appUser.body?.assigned, externalId: appUser.body?.externalId })}):\n${lines.join('\n')}`,
    );
  }
  return stories;
}

/** Health counts the worker processes running now: a killed one's registration has expired (within 10 s). */
async function workersCounted(stack: ChaosStack): Promise<string[]> {
  let counted = -1;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(250)) {
    counted = await stack.liveWorkers();
    if (counted === WORKERS) return [];
  }
  return [`health: counts ${counted} workers, ${WORKERS} are running`];
}
