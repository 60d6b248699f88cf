import { Redis } from 'ioredis';
import {
  type LogRetention,
  ProvisioningLog,
} from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';

export interface LogHarness {
  redis: Redis;
  prefix: string;
  log: ProvisioningLog;
  /** Keys this harness created in Redis. */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

const NO_RETENTION: LogRetention = { maxCount: 1_000_000, maxAgeMs: 365 * 86_400_000 };

/** A log under its own key prefix on the suite's Redis; `close` deletes its keys. */
export async function createLogHarness(
  retention: LogRetention = NO_RETENTION,
  scanBudget?: number,
): Promise<LogHarness> {
  const redis = new Redis(testRedisUrl());
  const prefix = uniquePrefix('log');
  const keys = () => redis.keys(`${prefix}:*`);
  return {
    redis,
    prefix,
    log: new ProvisioningLog({ redis, keyPrefix: prefix, retention, scanBudget }),
    keys,
    close: async () => {
      const left = await keys();
      if (left.length > 0) await redis.del(...left);
      await redis.quit();
    },
  };
}
