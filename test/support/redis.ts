import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** URL of the suite's embedded redis-server (started by global-setup.ts). */
export const testRedisUrl = (): string => inject('redisUrl');

/** A key prefix (also used as BullMQ prefix) no other test shares. */
export const uniquePrefix = (label = 't'): string => `test-${label}-${randomBytes(4).toString('hex')}`;

/**
 * The suite's Redis, in database `db` (1-15; the other tests use 0): for a test that SCANs its keys
 * thousands of times (the bad-input suites' store snapshots), so a SCAN walks its keys, not every test's.
 */
export const testRedisUrlInDb = (db: number): string => {
  const url = new URL(testRedisUrl());
  url.pathname = `/${db}`;
  return url.toString();
};
