import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** URL of the suite's embedded redis-server (started by global-setup.ts). */
export const testRedisUrl = (): string => inject('redisUrl');

/** A key prefix (also used as BullMQ prefix) no other test shares. */
export const uniquePrefix = (label = 't'): string => `test-${label}-${randomBytes(4).toString('hex')}`;
