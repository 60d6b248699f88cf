import { diffOperations, type PatchOperation, patchMessage } from '../mapping/patch-ops.ts';
import { DIALECTS, type Dialect, type DialectSpec, userChangeMethod } from '../mapping/scim-dialects.ts';
import {
  CORE_GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from '../mapping/scim-schemas.ts';
import type { ScimUser } from '../mapping/scim-user.ts';
import type { ScimExchange } from './scim-call-error.ts';
import { createScimTransport, type ScimResponse, type ScimSend } from './scim-transport.ts';
import type { TargetPolicy } from './target-policy.ts';

export type { Dialect } from '../mapping/scim-dialects.ts';
export { ScimCallError, type ScimExchange, type ScimFailureKind } from './scim-call-error.ts';

export interface ScimTarget {
  baseUrl: string;
  bearerToken: string;
  dialect: Dialect;
  timeoutMs: number;
  /** Where requests may go (the allowlist and refused addresses); see target-policy.ts. */
  policy: TargetPolicy;
  /** What the connection test read of the target's PATCH support; unknown means ask when it matters. */
  patchSupported?: boolean | undefined;
  /** A group a push leaves with no members is deleted (the app's empty groups setting); kept otherwise. */
  deleteEmptiedGroups?: boolean;
}

/** What the connection test learnt; `patchSupported` only when it read ServiceProviderConfig. */
export interface ConnectionTest {
  patchSupported?: boolean;
}

export interface ScimClient {
  testConnection(): Promise<ConnectionTest>;
  findUserIdByUserName(userName: string): Promise<string | null>;
  createUser(resource: ScimUser): Promise<{ id: string }>;
  updateUser(id: string, desired: ScimUser, previous: ScimUser | null): Promise<void>;
  setActive(id: string, active: boolean, desired: ScimUser): Promise<void>;
  deleteUser(id: string): Promise<void>;
  syncGroups(id: string, desired: string[], previous: string[]): Promise<void>;
  /** Renames the group `from` (one PATCH of its displayName); `taken` when `to` exists, `absent` when `from` does not. */
  renameGroup(from: string, to: string): Promise<'renamed' | 'taken' | 'absent'>;
  /**
   * Every user the target holds, read page by page (`startIndex`/`count`), at most `max`, with the
   * `totalResults` the target last reported (more than it gave when it ignores `startIndex`).
   */
  listAllUsers(max: number): Promise<{ users: Json[]; reportedTotal: number | null }>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const NO_OBJECT = 'sent no JSON object';

const objectProblem = (body: unknown, status: number) => (status >= 300 || isObject(body) ? null : NO_OBJECT);

const listProblem = (body: unknown) => {
  if (!isObject(body)) return NO_OBJECT;
  return body.Resources === undefined || Array.isArray(body.Resources)
    ? null
    : 'its "Resources" is not a list';
};

/** The connection test accepts only SCIM: an answer whose `schemas` names what was asked for. */
const schemaProblem = (schema: string, what: string) => (body: unknown, status: number) => {
  if (status >= 300) return null;
  const schemas = isObject(body) && Array.isArray(body.schemas) ? body.schemas : [];
  return schemas.includes(schema) ? null : `its answer is not a SCIM ${what} (no "${schema}" in "schemas")`;
};

const resourceIdProblem = (body: unknown) => {
  if (!isObject(body)) return `${NO_OBJECT}, so no "id" for the new resource`;
  return typeof body.id === 'string' && body.id !== '' ? null : 'its answer has no "id" for the new resource';
};

const patchSupportedIn = (config: unknown): boolean =>
  isObject(config) && isObject(config.patch) && config.patch.supported === true;

/** Users asked for per page when reading every account (an import). */
const LIST_PAGE_SIZE = 200;

/** RFC 7644 §3.4.2.2 string literal: JSON string escaping. */
const filterEquals = (attribute: string, value: string) => `${attribute} eq ${JSON.stringify(value)}`;

/** The id of the listed resource whose `attribute` equals `value` (SCIM compares these case-insensitively). */
const idOfMatch = (response: ScimResponse, attribute: string, value: string): string | null => {
  const listed = (response.body as Json).Resources as unknown[] | undefined;
  const match = (listed ?? []).find(
    (item) =>
      isObject(item) &&
      typeof item.id === 'string' &&
      typeof item[attribute] === 'string' &&
      item[attribute].toLowerCase() === value.toLowerCase(),
  ) as Json | undefined;
  return (match?.id as string | undefined) ?? null;
};

const userPath = (id: string) => `/Users/${encodeURIComponent(id)}`;
const groupPath = (id: string) => `/Groups/${encodeURIComponent(id)}`;

const removeMember = (spec: DialectSpec, userId: string): PatchOperation =>
  spec.memberRemoval === 'value'
    ? { op: 'remove', path: 'members', value: [{ value: userId }] }
    : { op: 'remove', path: `members[value eq ${JSON.stringify(userId)}]` };

/** A SCIM client for one target; every HTTP call is reported through `onExchange` exactly once. */
export function createScimClient(
  target: ScimTarget,
  options: { onExchange?: (exchange: ScimExchange) => void | Promise<void> } = {},
): ScimClient {
  return new TargetClient(target, createScimTransport(target, options.onExchange));
}

/**
 * A class rather than closures: a push makes a client for each user, and a closure made per client
 * costs each time (under tsx's keepNames, a property definition for its name too).
 */
class TargetClient implements ScimClient {
  private readonly spec: DialectSpec;
  private patchSupport: Promise<boolean> | undefined;

  constructor(
    private readonly target: ScimTarget,
    private readonly send: ScimSend,
  ) {
    this.spec = DIALECTS[target.dialect];
  }

  private async readPatchSupport(): Promise<boolean> {
    const response = await this.send({
      method: 'GET',
      path: '/ServiceProviderConfig',
      alsoSuccess: [404, 501],
      problemWith: objectProblem,
    });
    return patchSupportedIn(response.body);
  }

  private patchSupportOnce(): Promise<boolean> {
    this.patchSupport ??= this.readPatchSupport().catch((error: unknown) => {
      this.patchSupport = undefined;
      throw error;
    });
    return this.patchSupport;
  }

  private async usesPatch(): Promise<boolean> {
    const { dialect, patchSupported } = this.target;
    return (
      (userChangeMethod(dialect, patchSupported) ??
        userChangeMethod(dialect, await this.patchSupportOnce())) === 'PATCH'
    );
  }

  private async patch(path: string, operations: PatchOperation[]): Promise<void> {
    if (operations.length === 0) return;
    await this.send({ method: 'PATCH', path, body: patchMessage(operations, this.spec.ops) });
  }

  private async put(id: string, resource: ScimUser): Promise<void> {
    await this.send({ method: 'PUT', path: userPath(id), body: { ...resource, id } });
  }

  private async findId(
    collection: '/Users' | '/Groups',
    attribute: string,
    value: string,
  ): Promise<string | null> {
    const filter = encodeURIComponent(filterEquals(attribute, value));
    const response = await this.send({
      method: 'GET',
      path: `${collection}?filter=${filter}`,
      problemWith: listProblem,
    });
    return idOfMatch(response, attribute, value);
  }

  /**
   * Deletes the group if it holds no members, and only if it has not changed since (If-Match, where
   * the target keeps versions): a push adding a member meanwhile keeps it.
   */
  private async deleteIfEmpty(groupId: string): Promise<void> {
    const read = await this.send({ method: 'GET', path: groupPath(groupId), alsoSuccess: [404] });
    const group = read.body;
    if (read.status === 404 || !isObject(group)) return;
    if (Array.isArray(group.members) && group.members.length > 0) return;
    const version =
      isObject(group.meta) && typeof group.meta.version === 'string' ? group.meta.version : null;
    await this.send({
      method: 'DELETE',
      path: groupPath(groupId),
      alsoSuccess: [404, 412],
      ...(version ? { ifMatch: version } : {}),
    });
  }

  private addMember(groupId: string, id: string): Promise<void> {
    return this.patch(groupPath(groupId), [{ op: 'add', path: 'members', value: [{ value: id }] }]);
  }

  async testConnection(): Promise<ConnectionTest> {
    const { readsServiceProviderConfig, authenticatedRead } = this.spec.connectionTest;
    let learnt: ConnectionTest = {};
    if (readsServiceProviderConfig) {
      const response = await this.send({
        method: 'GET',
        path: '/ServiceProviderConfig',
        alsoSuccess: [404, 501],
        problemWith: schemaProblem(SERVICE_PROVIDER_CONFIG_SCHEMA, 'ServiceProviderConfig'),
      });
      // Read as a later PATCH decision would read it: an absent ServiceProviderConfig means no PATCH.
      const patchSupported = patchSupportedIn(response.body);
      this.patchSupport = Promise.resolve(patchSupported);
      learnt = { patchSupported };
    }
    await this.send({
      method: 'GET',
      path: authenticatedRead,
      problemWith: schemaProblem(LIST_RESPONSE_SCHEMA, 'ListResponse'),
    });
    return learnt;
  }

  findUserIdByUserName(userName: string): Promise<string | null> {
    return this.findId('/Users', 'userName', userName);
  }

  async createUser(resource: ScimUser): Promise<{ id: string }> {
    const response = await this.send({
      method: 'POST',
      path: '/Users',
      body: resource,
      problemWith: resourceIdProblem,
    });
    return { id: (response.body as Json).id as string };
  }

  async updateUser(id: string, desired: ScimUser, previous: ScimUser | null): Promise<void> {
    if (await this.usesPatch()) await this.patch(userPath(id), diffOperations(previous, desired));
    else await this.put(id, desired);
  }

  async setActive(id: string, active: boolean, desired: ScimUser): Promise<void> {
    if (await this.usesPatch())
      await this.patch(userPath(id), [{ op: 'replace', path: 'active', value: active }]);
    else await this.put(id, { ...desired, active });
  }

  async deleteUser(id: string): Promise<void> {
    await this.send({ method: 'DELETE', path: userPath(id), alsoSuccess: [404] });
  }

  async listAllUsers(max: number): Promise<{ users: Json[]; reportedTotal: number | null }> {
    const users: Json[] = [];
    const seen = new Set<unknown>();
    let reportedTotal: number | null = null;
    for (let startIndex = 1; users.length < max; ) {
      const response = await this.send({
        method: 'GET',
        path: `/Users?startIndex=${startIndex}&count=${LIST_PAGE_SIZE}`,
        problemWith: listProblem,
      });
      const body = response.body as Json;
      const page = ((body.Resources as unknown[] | undefined) ?? []).filter(isObject);
      // A server that ignores startIndex answers the same page again: stop rather than loop.
      const fresh = page.filter((user) => !seen.has(user.id));
      for (const user of fresh) seen.add(user.id);
      users.push(...fresh);
      reportedTotal = typeof body.totalResults === 'number' ? body.totalResults : null;
      if (fresh.length === 0 || (reportedTotal !== null && startIndex - 1 + page.length >= reportedTotal))
        break;
      startIndex += page.length;
    }
    return { users: users.slice(0, max), reportedTotal };
  }

  async renameGroup(from: string, to: string): Promise<'renamed' | 'taken' | 'absent'> {
    if (await this.findId('/Groups', 'displayName', to)) return 'taken';
    const groupId = await this.findId('/Groups', 'displayName', from);
    if (!groupId) return 'absent';
    await this.patch(groupPath(groupId), [{ op: 'replace', path: 'displayName', value: to }]);
    return 'renamed';
  }

  async syncGroups(id: string, desired: string[], previous: string[]): Promise<void> {
    const joined = desired.filter((name) => !previous.includes(name));
    const left = previous.filter((name) => !desired.includes(name));
    for (const name of joined) {
      const groupId = await this.findId('/Groups', 'displayName', name);
      if (groupId) {
        await this.addMember(groupId, id);
        continue;
      }
      const created = await this.send({
        method: 'POST',
        path: '/Groups',
        body: { schemas: [CORE_GROUP_SCHEMA], displayName: name, members: [{ value: id }] },
        alsoSuccess: [409],
        problemWith: (body, status) => (status === 409 ? null : resourceIdProblem(body)),
      });
      // Another push created the group meanwhile (409 uniqueness): join that one.
      if (created.status === 409) {
        const raced = await this.findId('/Groups', 'displayName', name);
        if (!raced)
          throw new Error(`the target refused to create group "${name}" (409) yet has none by that name`);
        await this.addMember(raced, id);
      }
    }
    for (const name of left) {
      const groupId = await this.findId('/Groups', 'displayName', name);
      if (!groupId) continue;
      await this.patch(groupPath(groupId), [removeMember(this.spec, id)]);
      if (this.target.deleteEmptiedGroups) await this.deleteIfEmpty(groupId);
    }
  }
}
