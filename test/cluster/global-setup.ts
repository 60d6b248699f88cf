import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { type LocalCluster, startLocalCluster } from '../../shared/src/redis/local-cluster.ts';

let cluster: LocalCluster | undefined;
let dataDir: string | undefined;

/** A Redis Cluster of 3 masters for the suite: the tests it runs see `redis+cluster://` as their Redis. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'provisim-test-cluster-'));
  cluster = await startLocalCluster({ dataDir, masters: 3, logger: createLogger('test-cluster', 'warn') });
  project.provide('redisUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
