import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../shared/src/http/error-handler.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { createRedis, type RedisClient } from '../../shared/src/redis/connection.ts';
import { type LocalCluster, startLocalCluster } from '../../shared/src/redis/local-cluster.ts';

/**
 * A cluster that cannot serve a key's slot (a master restarting, a slot in flux) answers CLUSTERDOWN;
 * the API must answer that as the store being away (503, retry), not as an unexpected error (500).
 * A cluster of its own: the test takes a slot away from every master.
 */
describe('a Redis Cluster slot that no master serves', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-store-unavailable-'));
  let cluster: LocalCluster;
  let client: RedisClient;
  let nodes: Redis[] = [];

  beforeAll(async () => {
    cluster = await startLocalCluster({ dataDir, masters: 3, logger: createLogger('t', 'silent') });
    client = createRedis(cluster.url, 'api');
    await new Promise((resolve) => client.once('ready', resolve));
    nodes = cluster.nodes.map((node) => new Redis(node.url, { maxRetriesPerRequest: 1 }));
  }, 60_000);

  afterAll(async () => {
    client?.disconnect();
    for (const node of nodes) node.disconnect();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes the API answer 503 store_unavailable, naming Redis, not a 500', async () => {
    const key = '{app-x}:record';
    await client.set(key, 'v');
    const slot = Number(await nodes[0]?.call('CLUSTER', 'KEYSLOT', key));
    for (const node of nodes) await node.call('CLUSTER', 'DELSLOTS', String(slot));

    const err = await client.get(key).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('CLUSTERDOWN');
    const answer = toAppError(err);
    expect(answer?.status).toBe(503);
    expect(answer?.toBody().error.code).toBe('store_unavailable');
  }, 30_000);
});
