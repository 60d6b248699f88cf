import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedis } from '../../shared/src/redis/connection.ts';
import { logKeys } from '../../shared/src/store/provisioning-log/log-keys.ts';
import { type LogEvent, ProvisioningLog } from '../../shared/src/store/provisioning-log/provisioning-log.ts';
import { buildLogEvent } from '../log/log-event.factory.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';

/**
 * A live tail's subscriber is connected to one master, and each app's log lies on the master of its hash
 * tag: a master counts only its own subscribers, so an append must publish there although none listens
 * on that master.
 */
describe('live tails on a Redis Cluster', () => {
  it("receive every app's events, whichever master holds the app's log", async () => {
    const redis = createRedis(testRedisUrl(), 'worker');
    if (!(redis instanceof Cluster)) throw new Error('this suite runs against a Redis Cluster');
    const prefix = uniquePrefix('live-tail');
    const log = new ProvisioningLog({
      redis,
      keyPrefix: prefix,
      retention: { maxCount: 1_000, maxAgeMs: 86_400_000 },
    });
    const seen: LogEvent[] = [];
    const stop = await log.subscribe({}, (event) => seen.push(event));
    try {
      const masters = redis.nodes('master').length;
      const appOfMaster = new Map<string, string>();
      for (let i = 0; appOfMaster.size < masters; i++) {
        const appId = `app-${i}`;
        const slot = (await redis.cluster('KEYSLOT', logKeys(prefix).app(appId).events)) as number;
        const master = redis.slots[slot]?.[0] as string;
        if (!appOfMaster.has(master)) appOfMaster.set(master, appId);
      }
      const apps = [...appOfMaster.values()];
      expect(apps).toHaveLength(3);

      const appended = await log.appendMany(apps.map((appId) => buildLogEvent({ appId })));

      await expect.poll(() => seen.length).toBe(apps.length);
      expect(seen).toEqual(expect.arrayContaining(appended));
    } finally {
      await stop();
      await redis.quit();
    }
  });
});
