import { ApiError } from '../../../shared/src/api-client/http.ts';
import type { ProvisimClient } from '../../../shared/src/api-client/provisim-client.ts';
import { mapLimit } from '../../../shared/src/runtime/map-limit.ts';
import type { CreateUserInput, User } from '../../../shared/src/types/directory.schema.ts';
import type { TargetUserView } from '../../../shared/src/types/target-api.ts';
import { UsageError } from '../cli-io.ts';
import { createScimReader, eqFilter, type ScimReader } from '../compat/scim-reader.ts';
import type { LoadedScenario } from './load-scenario.ts';
import type { Scenario, ScenarioStep } from './scenario.schema.ts';

export interface StepResult {
  /** 1-based line of the step in the file; 0 for the set-up. */
  line: number;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  message: string;
}

export interface ScenarioResult {
  name: string;
  steps: StepResult[];
  passed: boolean;
}

class StepFailure extends Error {}

/** Calls made at once when a step touches many users (1,000 assignments, say). */
const PARALLEL = 16;

type Expectation = Extract<ScenarioStep, { expect: unknown }>['expect'];

const stepName = (step: ScenarioStep) => Object.keys(step)[0] as string;
const stepTitle = (step: ScenarioStep) => {
  const name = stepName(step);
  const args = JSON.stringify((step as Record<string, unknown>)[name]);
  return `${name} ${args.length > 70 ? `${args.slice(0, 67)}...` : args}`;
};

const attributeAt = (resource: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (value, part) =>
        value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined,
      resource,
    );

function directoryUsers(scenario: Scenario): { key: string; input: CreateUserInput }[] {
  return scenario.users.flatMap((entry): { key: string; input: CreateUserInput }[] => {
    if (!('generate' in entry)) {
      const { key, ...input } = entry;
      return [{ key, input }];
    }
    return Array.from({ length: entry.generate }, (_, i) => ({
      key: `${entry.prefix}${i + 1}`,
      input: {
        firstname: `First${i + 1}`,
        lastname: `Last${i + 1}`,
        email: `${entry.prefix}${i + 1}@${entry.domain}`,
        ...(entry.department ? { department: entry.department } : {}),
      },
    }));
  });
}

/** Plays one scenario against a provisim (its client) and the target the scenario names. */
class ScenarioRun {
  private orgId: string | null = null;
  private scim: ScimReader | undefined;
  private readonly appIds = new Map<string, string>();
  private readonly users = new Map<string, User>();

  constructor(
    private readonly client: ProvisimClient,
    private readonly loaded: LoadedScenario,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  private get scenario() {
    return this.loaded.scenario;
  }

  private app(name: string): string {
    return this.appIds.get(name) as string;
  }

  private people(ref: string | string[]): User[] {
    const keys = ref === 'all' ? this.loaded.userKeys : Array.isArray(ref) ? ref : [ref];
    return keys.map((key) => this.users.get(key) as User);
  }

  /** The target's userName of a directory user: as the first app's SCIM Username parameter says. */
  private userName(user: User): string {
    return this.scenario.apps[0]?.parameters.scimUsername === 'username' ? user.username : user.email;
  }

  async setUp(): Promise<string> {
    const { client, scenario } = this;
    let scimUrl: string;
    let token: string;
    if ('builtin' in scenario.target) {
      const settings = scenario.target.builtin;
      const org = await client.target.createOrg({
        name: settings.name ?? scenario.name,
        strictAttributes: settings.strictAttributes,
        seatLimit: settings.seatLimit,
      });
      await client.target.sso(org.id, { configured: true, enforced: true });
      await client.target.scim(org.id, true);
      token = (await client.target.issueToken(org.id, 30)).token;
      if (settings.faults) await client.target.faults(org.id, settings.faults);
      this.orgId = org.id;
      scimUrl = org.scimBaseUrl;
    } else {
      const { scimUrl: url, token: given, tokenEnv } = scenario.target.external;
      const fromEnv = tokenEnv ? this.env[tokenEnv] : undefined;
      if (tokenEnv && !fromEnv)
        throw new UsageError(`target.external.tokenEnv: ${tokenEnv} is not set in the environment`);
      token = (given ?? fromEnv) as string;
      scimUrl = url;
    }
    this.scim = createScimReader(scimUrl, token);
    for (const app of scenario.apps) {
      const made = await client.apps.create(app.connector, app.name);
      this.appIds.set(app.name, made.id);
      await client.apps.configure(made.id, {
        scimBaseUrl: scimUrl,
        scimBearerToken: token,
        dialect: app.dialect,
      });
      await client.apps.enable(made.id);
      await client.apps.setParameters(made.id, app.parameters);
      await client.apps.setProvisioning(made.id, {
        enabled: true,
        requireApproval: app.approvals,
        onDelete: app.onDelete,
        onSuspend: app.onSuspend,
        ...(app.concurrency ? { concurrency: app.concurrency } : {}),
        ...(app.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: app.rateLimitPerSecond } : {}),
      });
    }
    const wanted = directoryUsers(scenario);
    const made = await mapLimit(wanted, PARALLEL, ({ input }) => client.users.create(input));
    for (const [i, { key }] of wanted.entries()) this.users.set(key, made[i] as User);
    const where = this.orgId ? `built-in org ${this.orgId}` : scimUrl;
    return `target ${where}; ${scenario.apps.length} app(s) enabled; ${made.length} directory user(s)`;
  }

  private async decide(
    app: string,
    ref: string | string[],
    decide: (appId: string, taskId: string) => Promise<unknown>,
  ) {
    const appId = this.app(app);
    const wanted = new Set(this.people(ref).map((u) => u.id));
    const pending = (await this.client.tasks.all(appId, 'pending')).filter((t) => wanted.has(t.userId));
    const missing = [...wanted].filter((id) => !pending.some((t) => t.userId === id));
    if (missing.length > 0) throw new StepFailure(`${missing.length} user(s) have no pending task in ${app}`);
    await mapLimit(pending, PARALLEL, (task) => decide(appId, task.id));
    return `${pending.length} task(s)`;
  }

  private async each(ref: string | string[], act: (user: User) => Promise<unknown>) {
    const people = this.people(ref);
    await mapLimit(people, PARALLEL, act);
    return `${people.length} user(s)`;
  }

  private async waitIdle(app: string | undefined, timeoutSeconds: number) {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const names = app ? [app] : this.scenario.apps.map((a) => a.name);
    for (const name of names) {
      const { idle } = await this.client.apps.idle(this.app(name), Math.max(0, deadline - Date.now()));
      if (!idle) {
        const { counts } = await this.client.apps.get(this.app(name));
        throw new StepFailure(`${name} is not idle after ${timeoutSeconds} s: ${JSON.stringify(counts)}`);
      }
    }
    return `${names.join(', ')} idle`;
  }

  private async expectations(expect: Expectation): Promise<string> {
    const problems: string[] = [];
    const checked: string[] = [];
    const targetUsers = expect['target-users'];
    if (targetUsers) {
      const scim = this.scim as ScimReader;
      if (targetUsers.count !== undefined) {
        const answer = await scim.get('/Users?startIndex=1&count=1');
        const total = (answer.body as { totalResults?: unknown } | null)?.totalResults;
        if (total !== targetUsers.count)
          problems.push(`the target holds ${String(total)} user(s), expected ${targetUsers.count}`);
        checked.push(`${targetUsers.count} target user(s)`);
      }
      let managed: TargetUserView[] | undefined;
      for (const wanted of targetUsers.users ?? []) {
        const userName = this.userName(this.users.get(wanted.user) as User);
        const answer = await scim.get(`/Users?${eqFilter('userName', userName)}`);
        const found = (
          (answer.body as { Resources?: Record<string, unknown>[] } | null)?.Resources ?? []
        ).filter((r) => String(r.userName).toLowerCase() === userName.toLowerCase());
        if (!wanted.present) {
          if (found.length > 0) problems.push(`${wanted.user}: ${userName} is on the target`);
          continue;
        }
        const resource = found[0];
        if (found.length !== 1 || !resource) {
          problems.push(
            `${wanted.user}: ${found.length} account(s) for ${userName} on the target, expected 1`,
          );
          continue;
        }
        if (wanted.active !== undefined && resource.active !== wanted.active)
          problems.push(`${wanted.user}: active is ${String(resource.active)}, expected ${wanted.active}`);
        for (const [path, value] of Object.entries(wanted.attributes ?? {}))
          if (JSON.stringify(attributeAt(resource, path)) !== JSON.stringify(value))
            problems.push(
              `${wanted.user}: ${path} is ${JSON.stringify(attributeAt(resource, path))}, expected ${JSON.stringify(value)}`,
            );
        if (wanted.invitation) {
          if (!this.orgId)
            throw new UsageError(
              'expect.target-users: invitation can be checked on the built-in target only',
            );
          managed ??= await this.client.target.users(this.orgId);
          const account = managed.find((u) => u.userName.toLowerCase() === userName.toLowerCase());
          if (account?.invitation !== wanted.invitation)
            problems.push(
              `${wanted.user}: invitation is ${account?.invitation}, expected ${wanted.invitation}`,
            );
        }
      }
      if (targetUsers.users) checked.push(`${targetUsers.users.length} target account(s)`);
    }
    const appUsers = expect['app-users'];
    if (appUsers) {
      const all = await this.client.appUsers.all(this.app(appUsers.app));
      for (const [state, count] of Object.entries(appUsers.counts ?? {})) {
        const actual = all.filter((u) => u.state === state).length;
        if (actual !== count)
          problems.push(`${appUsers.app}: ${actual} app user(s) ${state}, expected ${count}`);
      }
      for (const wanted of appUsers.users ?? []) {
        const id = (this.users.get(wanted.user) as User).id;
        const state = all.find((u) => u.userId === id)?.state ?? 'unassigned';
        if (state !== wanted.state)
          problems.push(`${appUsers.app}: ${wanted.user} is ${state}, expected ${wanted.state}`);
      }
      checked.push(`app users of ${appUsers.app}`);
    }
    const log = expect.log;
    if (log) {
      const events = await this.client.log.all({
        ...(log.app ? { appId: this.app(log.app) } : {}),
        ...(log.user ? { userId: (this.users.get(log.user) as User).id } : {}),
        ...(log.action ? { action: log.action } : {}),
        ...(log.status ? { status: log.status } : {}),
      });
      if (log.atLeast !== undefined && events.length < log.atLeast)
        problems.push(`the log holds ${events.length} matching event(s), expected at least ${log.atLeast}`);
      if (log.exactly !== undefined && events.length !== log.exactly)
        problems.push(`the log holds ${events.length} matching event(s), expected ${log.exactly}`);
      checked.push(`${events.length} log event(s)`);
    }
    if (problems.length > 0) throw new StepFailure(problems.join('; '));
    return checked.join(', ');
  }

  async step(step: ScenarioStep): Promise<string> {
    const { client } = this;
    if ('assign' in step)
      return this.each(step.assign.users, (u) => client.appUsers.assign(this.app(step.assign.app), u.id));
    if ('unassign' in step)
      return this.each(step.unassign.users, (u) =>
        client.appUsers.unassign(this.app(step.unassign.app), u.id),
      );
    if ('approve' in step)
      return this.decide(step.approve.app, step.approve.users, (appId, taskId) =>
        client.tasks.approve(appId, taskId),
      );
    if ('deny' in step)
      return this.decide(step.deny.app, step.deny.users, (appId, taskId) =>
        client.tasks.deny(appId, taskId, step.deny.reason),
      );
    if ('approve-all' in step) {
      const { approved } = await client.tasks.approveAll(this.app(step['approve-all'].app));
      return `approved ${approved}`;
    }
    if ('update' in step)
      return this.each(step.update.users, (u) => client.users.update(u.id, step.update.set));
    if ('suspend' in step) return this.each(step.suspend.users, (u) => client.users.suspend(u.id));
    if ('reactivate' in step) return this.each(step.reactivate.users, (u) => client.users.reactivate(u.id));
    if ('delete' in step) return this.each(step.delete.users, (u) => client.users.remove(u.id));
    if ('reapply-mappings' in step)
      return JSON.stringify(await client.apps.reapplyMappings(this.app(step['reapply-mappings'].app)));
    if ('set-faults' in step) {
      if (!this.orgId) throw new UsageError('set-faults needs the built-in target');
      return JSON.stringify(await client.target.faults(this.orgId, step['set-faults']));
    }
    if ('wait-idle' in step) return this.waitIdle(step['wait-idle'].app, step['wait-idle'].timeout);
    return this.expectations(step.expect);
  }
}

/**
 * Runs a loaded scenario: its set-up, then each step in order. A failed action stops the run (the
 * steps after it are reported as not run); a failed expectation does not.
 */
export async function runScenario(
  client: ProvisimClient,
  loaded: LoadedScenario,
  options: { env?: NodeJS.ProcessEnv; onStep?: (result: StepResult) => void } = {},
): Promise<ScenarioResult> {
  const run = new ScenarioRun(client, loaded, options.env ?? process.env);
  const results: StepResult[] = [];
  let stopped: string | null = null;
  const record = (result: StepResult) => {
    results.push(result);
    options.onStep?.(result);
  };
  const attempt = async (line: number, title: string, act: () => Promise<string>, stops: boolean) => {
    if (stopped) return record({ line, title, status: 'skip', message: `not run: ${stopped}` });
    try {
      record({ line, title, status: 'pass', message: await act() });
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const message =
        error instanceof StepFailure || error instanceof ApiError ? error.message : String(error);
      record({ line, title, status: 'fail', message });
      if (stops) stopped = `line ${line} failed`;
    }
  };
  await attempt(0, 'set-up', () => run.setUp(), true);
  for (const [index, step] of loaded.scenario.steps.entries())
    await attempt(
      loaded.stepLines[index] ?? 0,
      stepTitle(step),
      () => run.step(step),
      stepName(step) !== 'expect',
    );
  return { name: loaded.scenario.name, steps: results, passed: results.every((r) => r.status === 'pass') };
}
