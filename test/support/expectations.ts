import { expect } from 'vitest';
import type { Reply } from './api-client.ts';
import type { TargetUser } from './target-org.ts';

/** Asserts each expected userName is on the target exactly once (no loss, no duplicate account). */
export function expectExactlyOnce(users: readonly TargetUser[], expectedUserNames: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const user of users)
    counts.set(user.userName.toLowerCase(), (counts.get(user.userName.toLowerCase()) ?? 0) + 1);
  const missing = expectedUserNames.filter((name) => !counts.has(name.toLowerCase()));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([name]) => name);
  expect({ missing, duplicated, total: users.length }).toEqual({
    missing: [],
    duplicated: [],
    total: expectedUserNames.length,
  });
}

/** The contract's error shape: `{error: {code, message, details?}}`. */
export function expectContractError(reply: Reply, status?: number): void {
  if (status !== undefined) expect(reply.status, reply.text).toBe(status);
  expect(reply.body, reply.text).toMatchObject({
    error: { code: expect.any(String), message: expect.any(String) },
  });
}
