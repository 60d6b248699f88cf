import { expect } from 'vitest';
import { buildScimUser, type MappableUser, type ScimUser } from '../../shared/src/mapping/scim-user.ts';
import {
  createScimClient,
  type Dialect,
  ScimCallError,
  type ScimClient,
  type ScimExchange,
} from '../../shared/src/scim-client/scim-client.ts';
import { DEFAULT_TARGET_POLICY } from '../../shared/src/scim-client/target-policy.ts';
import { buildMappableUser } from '../support/mappable-user.ts';

export const DIALECT_IDS: Dialect[] = ['onelogin', 'okta', 'entra', 'rfc'];

export const buildUser = (overrides: Partial<MappableUser> = {}): MappableUser =>
  buildMappableUser({ id: 'dir-ada', ...overrides });

export const genericResource = (overrides: Partial<MappableUser> = {}): ScimUser =>
  buildScimUser('scim-generic', buildUser(overrides), { scimUsername: 'email', custom: [] });

/** A client for `baseUrl` that records every exchange it reports. */
export function recordingClient(
  target: { baseUrl: string; bearerToken: string },
  dialect: Dialect,
  timeoutMs = 5000,
): { client: ScimClient; exchanges: ScimExchange[] } {
  const exchanges: ScimExchange[] = [];
  const client = createScimClient(
    { ...target, dialect, timeoutMs, policy: DEFAULT_TARGET_POLICY },
    { onExchange: (e) => void exchanges.push(e) },
  );
  return { client, exchanges };
}

/** Awaits `promise`, expecting it to fail with a ScimCallError, and returns that error. */
export async function scimFailure(promise: Promise<unknown>): Promise<ScimCallError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScimCallError);
  return error as ScimCallError;
}

/** The bearer token must never travel outside the Authorization header. */
export function expectNoToken(token: string, ...values: unknown[]): void {
  for (const value of values) {
    const text = value instanceof Error ? `${value.message} ${JSON.stringify(value)}` : JSON.stringify(value);
    expect(text).not.toContain(token);
  }
}
