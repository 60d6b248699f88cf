import { apiClient } from '../support/api-client.ts';
import type { TargetOrg } from '../support/target-org.ts';
import type { ChaosStack } from './chaos-stack.ts';

/** The model of intent: what the directory and the app's assignments say, as the admins' answered steps left them. */
export interface IntendedUser {
  id: string;
  firstname: string;
  lastname: string;
  email: string;
  exists: boolean;
  assigned: boolean;
  status: 'active' | 'suspended';
}

export interface ScimAccount {
  id: string;
  userName: string;
  displayName?: string;
  active: boolean;
}

/** The target's real state, read over SCIM (straight to the target, not through the faulty proxy). */
export async function scimUsers(org: TargetOrg, userName?: string): Promise<ScimAccount[]> {
  const scim = apiClient(org.scimBaseUrl, org.token);
  const filter = userName ? `&filter=${encodeURIComponent(`userName eq "${userName}"`)}` : '';
  const found: ScimAccount[] = [];
  for (let start = 1; ; start += 100) {
    const page = await scim.ok('GET', `/Users?startIndex=${start}&count=100${filter}`);
    found.push(...(page.Resources ?? []));
    if (found.length >= page.totalResults || (page.Resources ?? []).length === 0) return found;
  }
}

interface Check {
  stack: ChaosStack;
  appId: string;
  org: TargetOrg;
  model: IntendedUser[];
  onDelete: 'suspend' | 'delete';
}

/** Every invariant of ../shared/design/lifecycle.md that can be read once the history settled; one line per violation. */
export async function checkInvariants({ stack, appId, org, model, onDelete }: Check): Promise<string[]> {
  const { api } = stack;
  const violations: string[] = [];
  const tasks = await api.all(`/api/apps/${appId}/tasks`, 1000);
  const appUsers = await api.all(`/api/apps/${appId}/users`, 1000);
  const app = await api.ok('GET', `/api/apps/${appId}`);
  const log = await api.all(`/api/provisioning-log?appId=${appId}`, 1000);
  const accounts = await scimUsers(org);
  const emailOf = new Map(model.map((u) => [u.id, u.email]));

  // 1. One open task per (app, user); nothing queued once settled.
  const open = new Map<string, number>();
  for (const task of tasks)
    if (task.status === 'pending' || task.status === 'queued')
      open.set(task.userId, (open.get(task.userId) ?? 0) + 1);
  for (const [userId, n] of open)
    violations.push(
      n > 1
        ? `inv1 one open task: ${emailOf.get(userId) ?? userId} has ${n} pending/queued tasks`
        : `inv6 in flight: ${emailOf.get(userId) ?? userId} has a task left open after settling`,
    );

  // 2. Guarded decisions: a task is decided (approved or denied) at most once.
  const decisions = new Map<string, string[]>();
  for (const event of log)
    if (event.status === 'approved' || event.status === 'denied')
      decisions.set(event.taskId, [...(decisions.get(event.taskId) ?? []), event.status]);
  for (const [taskId, seen] of decisions)
    if (seen.length > 1)
      violations.push(`inv2 guarded approval: task ${taskId} was decided ${seen.join(' and ')}`);

  // 6. Nothing stays in flight.
  for (const appUser of appUsers)
    if (appUser.state === 'queued') violations.push(`inv6 in flight: ${appUser.email} is still queued`);

  // 7. One account per userName on the target.
  const perName = new Map<string, ScimAccount[]>();
  for (const account of accounts) {
    const name = account.userName.toLowerCase();
    perName.set(name, [...(perName.get(name) ?? []), account]);
  }
  for (const [name, found] of perName)
    if (found.length > 1) violations.push(`inv7 exactly once: ${found.length} accounts for ${name}`);

  // 8. The target matches the intent.
  for (const user of model) {
    const account = perName.get(user.email.toLowerCase())?.[0];
    const wanted = user.exists && user.assigned;
    if (wanted) {
      const displayName = `${user.firstname} ${user.lastname}`;
      const active = user.status === 'active';
      // A user suspended in the directory before its first push is never created: nothing to hold.
      if (!account) {
        if (active) violations.push(`inv8 intent: ${user.email} is assigned but not on the target`);
      } else if (account.active !== active || account.displayName !== displayName)
        violations.push(
          `inv8 intent: ${user.email} should be ${JSON.stringify({ active, displayName })}, the target holds ${JSON.stringify({ active: account.active, displayName: account.displayName })}`,
        );
    } else if (account && (onDelete === 'delete' || account.active))
      violations.push(
        `inv8 intent: ${user.email} is ${user.exists ? 'unassigned' : 'deleted'} (onDelete ${onDelete}) but the target holds it${account.active ? ' active' : ''}`,
      );
  }

  // 9. The log and the counts tell the story: each succeeded task has one push outcome; counts match states.
  const outcomes = new Map<string, number>();
  for (const event of log)
    if (event.status === 'succeeded' && String(event.message).startsWith('Pushed to the target'))
      outcomes.set(event.taskId, (outcomes.get(event.taskId) ?? 0) + 1);
  for (const task of tasks) {
    const n = outcomes.get(task.id) ?? 0;
    if (task.status === 'succeeded' && n !== 1)
      violations.push(`inv9 log: succeeded task ${task.id} (${task.action}) has ${n} push outcome events`);
    if (task.status === 'denied' && n > 0) violations.push(`inv3 denied task ${task.id} was pushed`);
  }
  const byState = (state: string) => appUsers.filter((u) => u.state === state).length;
  const counted = {
    provisioned: byState('provisioned'),
    pending: byState('pending'),
    failed: byState('failed'),
  };
  const shown = {
    provisioned: app.counts.provisioned,
    pending: app.counts.pending,
    failed: app.counts.failed,
  };
  if (JSON.stringify(counted) !== JSON.stringify(shown))
    violations.push(
      `inv9 counts: app shows ${JSON.stringify(shown)}, app users say ${JSON.stringify(counted)}`,
    );
  for (const appUser of appUsers) {
    const account = perName.get(String(appUser.email).toLowerCase())?.[0];
    if (appUser.state === 'provisioned' && !account?.active)
      violations.push(`inv9 state: ${appUser.email} is provisioned but not active on the target`);
    if (appUser.state === 'suspended' && account?.active !== false)
      violations.push(
        `inv9 state: ${appUser.email} is suspended but the target holds ${account ? 'it active' : 'nothing'}`,
      );
  }
  return violations;
}
