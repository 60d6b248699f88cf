import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../shared/src/api-client/http.ts';
import type { AppUserDetail, ProvisimClient } from '../../../shared/src/api-client/provisim-client.ts';
import { DIALECTS, type Dialect } from '../../../shared/src/mapping/scim-dialects.ts';
import { CORE_USER_SCHEMA } from '../../../shared/src/mapping/scim-schemas.ts';
import type { User } from '../../../shared/src/types/directory.schema.ts';
import { COMPAT_STEPS, type StepId } from './compat-steps.ts';
import { type Behaviour, behaviourOf } from './idp-behaviours.ts';
import { type Exchange, eqFilter, type ScimReader } from './scim-reader.ts';

export type CellStatus = 'pass' | 'fail' | 'skip';

export interface Cell {
  dialect: Dialect;
  step: StepId;
  status: CellStatus;
  /** What was checked (pass), what was wrong (fail) or why it did not run (skip). */
  message: string;
  behaviour: Behaviour;
  /** The IdP's requests of the step (from the provisioning log) and compat's read-back, in order. */
  exchanges: Exchange[];
}

export interface CompatResult {
  scimUrl: string;
  startedAt: string;
  finishedAt: string;
  dialects: Dialect[];
  steps: StepId[];
  cells: Cell[];
  passed: boolean;
}

export interface CompatOptions {
  client: ProvisimClient;
  scim: ScimReader;
  scimUrl: string;
  token: string;
  dialects: readonly Dialect[];
  /** How long one step's push may take before its cell fails. */
  stepTimeoutMs: number;
  onCell?: (cell: Cell) => void;
}

class StepFailure extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
const show = (v: unknown) => JSON.stringify(v) ?? 'nothing';

/** One dialect's run: its app, its people and what the server holds for them. */
class DialectRun {
  appId = '';
  user: User | undefined;
  linkUser: User | undefined;
  accountId = '';
  /** The account compat made itself for create-link. */
  linkAccountId = '';
  groupName: string;
  groupId = '';
  evidence: Exchange[] = [];

  constructor(
    private readonly options: CompatOptions,
    readonly dialect: Dialect,
    private readonly tag: string,
  ) {
    this.groupName = `provisim-compat-${tag}-${dialect}`;
  }

  private get client() {
    return this.options.client;
  }
  private get scim() {
    return this.options.scim;
  }

  private fail(message: string): never {
    throw new StepFailure(message);
  }

  private email(label: string) {
    return `compat-${this.tag}-${this.dialect}${label}@example.com`;
  }

  /** A directory change, its task approved through the approval queue, pushed by the workers. */
  private async push(userId: string, change: () => Promise<unknown>): Promise<AppUserDetail> {
    const { client, appId } = this;
    await change();
    const pending = (await client.tasks.all(appId, 'pending')).filter((t) => t.userId === userId);
    if (pending.length === 0) this.fail('the change made no task to approve');
    for (const task of pending) await client.tasks.approve(appId, task.id);
    const { idle } = await client.apps.idle(appId, this.options.stepTimeoutMs);
    const ids = new Set(pending.map((t) => t.id));
    const events = (await client.log.all({ appId, userId })).filter((e) => ids.has(e.taskId)).reverse();
    for (const event of events)
      if (event.request)
        this.evidence.push({
          request: event.request,
          response: event.response ?? { error: event.message },
        });
    if (!idle) this.fail(`the push did not finish within ${this.options.stepTimeoutMs / 1000} s`);
    const tasks = await client.tasks.all(appId);
    const failed = tasks.find((t) => ids.has(t.id) && t.status === 'failed');
    if (failed) this.fail(`the ${failed.action} push failed: ${failed.error ?? 'no reason given'}`);
    return client.appUsers.get(appId, userId);
  }

  private async read(path: string, expectStatus = 200): Promise<unknown> {
    const answer = await this.scim.get(path);
    this.evidence.push(answer.exchange);
    if (answer.status !== expectStatus)
      this.fail(`GET ${path} answered ${answer.status || 'nothing'}, expected ${expectStatus}`);
    return answer.body;
  }

  /** The lookup every IdP makes before it creates: the filter must answer exactly the matching account. */
  private async lookup(userName: string): Promise<Json[]> {
    const body = await this.read(`/Users?${eqFilter('userName', userName)}`);
    if (!isObject(body) || (body.Resources !== undefined && !Array.isArray(body.Resources)))
      this.fail(`the userName filter answered no ListResponse: ${show(body).slice(0, 300)}`);
    const resources = ((body.Resources as unknown[] | undefined) ?? []).filter(isObject);
    const strangers = resources.filter((r) => !same(r.userName, userName));
    if (strangers.length > 0)
      this.fail(
        `GET /Users?filter=userName eq "${userName}" also answered ${strangers.length} other account(s) (${strangers
          .slice(0, 3)
          .map((r) => show(r.userName))
          .join(', ')}): the filter is ignored, so an IdP would link the wrong account`,
      );
    return resources;
  }

  private async expectOneAccount(userName: string, id: string) {
    const found = await this.lookup(userName);
    if (found.length !== 1 || found[0]?.id !== id)
      this.fail(
        `the userName filter answered ${found.length} account(s) ${show(found.map((r) => r.id))}, expected only ${id}`,
      );
  }

  private async expectAccount(id: string, user: User, expected: { active: boolean }) {
    const body = await this.read(`/Users/${encodeURIComponent(id)}`);
    if (!isObject(body)) this.fail(`GET /Users/${id} answered no resource`);
    const problems: string[] = [];
    if (!same(body.userName, user.email))
      problems.push(`userName is ${show(body.userName)}, expected "${user.email}"`);
    const name = isObject(body.name) ? body.name : {};
    if (name.givenName !== user.firstname)
      problems.push(`name.givenName is ${show(name.givenName)}, expected "${user.firstname}"`);
    if (name.familyName !== user.lastname)
      problems.push(`name.familyName is ${show(name.familyName)}, expected "${user.lastname}"`);
    const emails = Array.isArray(body.emails) ? body.emails.filter(isObject) : [];
    if (!emails.some((e) => same(e.value, user.email)))
      problems.push(`emails ${show(emails.map((e) => e.value))} lack "${user.email}"`);
    if (body.active !== expected.active)
      problems.push(`active is ${show(body.active)}, expected ${expected.active}`);
    if (problems.length > 0) this.fail(`GET /Users/${id}: ${problems.join('; ')}`);
  }

  private async groupMembers(): Promise<string[]> {
    if (!this.groupId) {
      const list = await this.read(`/Groups?${eqFilter('displayName', this.groupName)}`);
      const groups = isObject(list) && Array.isArray(list.Resources) ? list.Resources.filter(isObject) : [];
      const group = groups.find((g) => g.displayName === this.groupName);
      if (!group || typeof group.id !== 'string') this.fail(`no group "${this.groupName}" on the server`);
      this.groupId = group.id;
    }
    const body = await this.read(`/Groups/${encodeURIComponent(this.groupId)}`);
    const members = isObject(body) && Array.isArray(body.members) ? body.members.filter(isObject) : [];
    return members.map((m) => String(m.value));
  }

  private newPerson(label: string, firstname: string): Promise<User> {
    return this.client.users.create({
      firstname,
      lastname: `Compat ${this.dialect}`,
      email: this.email(label),
    });
  }

  readonly steps: Record<StepId, () => Promise<string>> = {
    connection: async () => {
      const { client, options, dialect } = this;
      const app = await client.apps.create('scim-generic', `compat ${dialect} ${this.tag}`);
      this.appId = app.id;
      await client.apps.configure(app.id, {
        scimBaseUrl: options.scimUrl,
        scimBearerToken: options.token,
        dialect,
      });
      try {
        await client.apps.enable(app.id);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        this.evidence.push({
          request: {
            method: 'GET',
            url: `${options.scimUrl}${DIALECTS[dialect].connectionTest.authenticatedRead}`,
          },
          response: { status: error.status, body: error.reply.body },
        });
        this.fail(`Enable failed: ${error.message}`);
      }
      await client.apps.setParameters(app.id, {
        scimUsername: 'email',
        custom: [{ name: 'Group', source: 'department', target: 'groups' }],
      });
      await client.apps.setProvisioning(app.id, {
        enabled: true,
        requireApproval: { create: true, update: true, delete: true },
        onDelete: 'delete',
        onSuspend: 'suspend',
      });
      const patch = (await client.apps.get(app.id)).configuration.patchSupported;
      return `Enable succeeded${patch === undefined ? '' : `; ServiceProviderConfig says patch.supported = ${patch}`}`;
    },

    create: async () => {
      const user = await this.newPerson('', 'Ada');
      this.user = user;
      const appUser = await this.push(user.id, () => this.client.appUsers.assign(this.appId, user.id));
      if (!appUser.externalId) this.fail(`the app user is ${appUser.state} with no target id`);
      this.accountId = appUser.externalId;
      await this.expectAccount(this.accountId, user, { active: true });
      await this.expectOneAccount(user.email, this.accountId);
      return `created ${this.accountId}; GET by id and by userName filter answer it`;
    },

    'create-link': async () => {
      const email = this.email('-link');
      const made = await this.scim.post('/Users', {
        schemas: [CORE_USER_SCHEMA],
        userName: email,
        displayName: 'Existing account',
        active: true,
      });
      this.evidence.push(made.exchange);
      const existingId = isObject(made.body) ? made.body.id : undefined;
      if (made.status !== 201 || typeof existingId !== 'string')
        this.fail(`could not make the existing account: POST /Users answered ${made.status || 'nothing'}`);
      this.linkAccountId = existingId;
      const user = await this.newPerson('-link', 'Grace');
      this.linkUser = user;
      const appUser = await this.push(user.id, () => this.client.appUsers.assign(this.appId, user.id));
      if (appUser.externalId !== existingId)
        this.fail(
          `provisim linked ${show(appUser.externalId)} instead of the existing account ${existingId}`,
        );
      await this.expectAccount(existingId, user, { active: true });
      await this.expectOneAccount(email, existingId);
      return `linked the existing account ${existingId} and brought it in line`;
    },

    'update-name': async () => {
      const user = this.user as User;
      await this.push(user.id, async () => {
        this.user = await this.client.users.update(user.id, { firstname: 'Augusta', lastname: 'King' });
      });
      await this.expectAccount(this.accountId, this.user as User, { active: true });
      return 'name.givenName and name.familyName read back changed';
    },

    'update-email': async () => {
      const user = this.user as User;
      await this.push(user.id, async () => {
        this.user = await this.client.users.update(user.id, { email: this.email('-renamed') });
      });
      const renamed = this.user as User;
      await this.expectAccount(this.accountId, renamed, { active: true });
      await this.expectOneAccount(renamed.email, this.accountId);
      return 'userName and emails read back changed; the new userName filter finds the account';
    },

    suspend: async () => {
      const user = this.user as User;
      await this.push(user.id, () => this.client.users.suspend(user.id));
      await this.expectAccount(this.accountId, user, { active: false });
      return 'active reads back false';
    },

    reactivate: async () => {
      const user = this.user as User;
      await this.push(user.id, () => this.client.users.reactivate(user.id));
      await this.expectAccount(this.accountId, user, { active: true });
      return 'active reads back true';
    },

    'group-add': async () => {
      const user = this.user as User;
      await this.push(user.id, () => this.client.users.update(user.id, { department: this.groupName }));
      const members = await this.groupMembers();
      if (!members.includes(this.accountId))
        this.fail(`group "${this.groupName}" has members ${show(members)}, without ${this.accountId}`);
      return `group "${this.groupName}" lists the account`;
    },

    'group-remove': async () => {
      const user = this.user as User;
      await this.push(user.id, () => this.client.users.update(user.id, { department: null }));
      const members = await this.groupMembers();
      if (members.includes(this.accountId))
        this.fail(`group "${this.groupName}" still lists ${this.accountId} among ${show(members)}`);
      return `group "${this.groupName}" no longer lists the account`;
    },

    delete: async () => {
      const user = this.user as User;
      await this.push(user.id, () => this.client.appUsers.unassign(this.appId, user.id));
      await this.read(`/Users/${encodeURIComponent(this.accountId)}`, 404);
      const found = await this.lookup(user.email);
      if (found.length > 0) this.fail(`the userName filter still answers ${show(found.map((r) => r.id))}`);
      return 'GET by id answers 404 and the userName filter finds nothing';
    },

    recreate: async () => {
      const user = this.user as User;
      const appUser = await this.push(user.id, () => this.client.appUsers.assign(this.appId, user.id));
      if (!appUser.externalId) this.fail(`the app user is ${appUser.state} with no target id`);
      this.accountId = appUser.externalId;
      await this.expectAccount(this.accountId, user, { active: true });
      await this.expectOneAccount(user.email, this.accountId);
      return `a new account ${this.accountId} for the same userName`;
    },
  };

  /** Deletes what the run made on the server (through the app where it can), whatever the cells said. */
  async cleanUp(): Promise<void> {
    if (!this.appId) return;
    const { client, appId } = this;
    for (const person of [this.user, this.linkUser])
      if (person) await client.appUsers.unassign(appId, person.id).catch(() => undefined);
    await client.tasks.approveAll(appId).catch(() => undefined);
    await client.apps.idle(appId, this.options.stepTimeoutMs).catch(() => undefined);
    // What a failed step left behind (404 where the app's delete already ran).
    for (const id of [this.accountId, this.linkAccountId])
      if (id) await this.scim.delete(`/Users/${encodeURIComponent(id)}`);
    if (this.groupId) await this.scim.delete(`/Groups/${encodeURIComponent(this.groupId)}`);
  }
}

/** Runs the IdP lifecycle in each dialect against one SCIM server, through provisim's approval queue and workers. */
export async function runCompat(options: CompatOptions): Promise<CompatResult> {
  const startedAt = new Date().toISOString();
  const tag = randomBytes(3).toString('hex');
  const cells: Cell[] = [];
  for (const dialect of options.dialects) {
    const run = new DialectRun(options, dialect, tag);
    const passed = new Set<StepId>();
    for (const step of COMPAT_STEPS) {
      run.evidence = [];
      const behaviour = behaviourOf(dialect, step.id);
      const missing = step.needs.filter((need) => !passed.has(need));
      let cell: Cell;
      if (missing.length > 0) {
        cell = {
          dialect,
          step: step.id,
          status: 'skip',
          message: `not run: needs ${missing.join(', ')}`,
          behaviour,
          exchanges: [],
        };
      } else {
        try {
          const message = await run.steps[step.id]();
          passed.add(step.id);
          cell = { dialect, step: step.id, status: 'pass', message, behaviour, exchanges: run.evidence };
        } catch (error) {
          const message =
            error instanceof StepFailure || error instanceof ApiError ? error.message : String(error);
          cell = { dialect, step: step.id, status: 'fail', message, behaviour, exchanges: run.evidence };
        }
      }
      cells.push(cell);
      options.onCell?.(cell);
    }
    await run.cleanUp();
  }
  return {
    scimUrl: options.scimUrl,
    startedAt,
    finishedAt: new Date().toISOString(),
    dialects: [...options.dialects],
    steps: COMPAT_STEPS.map((s) => s.id),
    cells,
    passed: cells.every((c) => c.status === 'pass'),
  };
}
