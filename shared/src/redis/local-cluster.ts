import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../logger/logger.ts';
import { type EmbeddedRedis, type EmbeddedRedisOptions, startEmbeddedRedis } from './embedded-redis.ts';

const SLOTS = 16384;

export interface LocalCluster {
  /** `redis+cluster://` URL naming every master. */
  url: string;
  nodes: EmbeddedRedis[];
  stop(): Promise<void>;
}

/** Slot ranges of `masters` nodes, as even as can be. */
export function slotRanges(masters: number): [number, number][] {
  return Array.from({ length: masters }, (_, i) => [
    Math.floor((i * SLOTS) / masters),
    Math.floor(((i + 1) * SLOTS) / masters) - 1,
  ]);
}

/** Until every node says the cluster is ok and knows every other node (after a start or a node's restart). */
export async function waitForClusterOk(nodes: EmbeddedRedis[], deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (const node of nodes) {
    const client = new Redis(node.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => {
      // A node just restarted refuses connections for a moment: the loop asks again.
    });
    try {
      for (;;) {
        const info = await client.cluster('INFO').catch((err: Error) => `unreachable: ${err.message}`);
        if (info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${nodes.length}`)) break;
        if (Date.now() > deadline) throw new Error(`Redis Cluster not ready on ${node.url}: ${info}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      client.disconnect();
    }
  }
}

/**
 * A Redis Cluster of `masters` masters on loopback, each a supervised redis-server (append-only, as
 * the embedded Redis) with `cluster-enabled yes`; the slots are split evenly and the nodes introduced
 * to each other (what `redis-cli --cluster create` does, without needing redis-cli). For tests and
 * the bench: provisim itself only needs a URL.
 */
export async function startLocalCluster(options: {
  dataDir: string;
  masters: number;
  logger: Logger;
  appendfsync?: EmbeddedRedisOptions['appendfsync'];
}): Promise<LocalCluster> {
  const nodes = await Promise.all(
    Array.from({ length: options.masters }, (_, i) =>
      startEmbeddedRedis({
        dataDir: join(options.dataDir, `node-${i}`),
        appendfsync: options.appendfsync ?? 'everysec',
        logger: options.logger.child({ node: i }),
        extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
      }),
    ),
  );
  const ranges = slotRanges(options.masters);
  await Promise.all(
    nodes.map(async (node, i) => {
      const client = new Redis(node.url, { maxRetriesPerRequest: 1 });
      try {
        const [first, last] = ranges[i] as [number, number];
        await client.cluster('ADDSLOTSRANGE', first, last);
        for (const other of nodes.slice(i + 1)) await client.cluster('MEET', '127.0.0.1', other.port);
      } finally {
        client.disconnect();
      }
    }),
  );
  await waitForClusterOk(nodes, 30_000);
  return {
    url: `redis+cluster://${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`,
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}
