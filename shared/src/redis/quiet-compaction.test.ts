import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger/logger.ts';
import { createRedis, type RedisClient } from './connection.ts';
import { startEmbeddedRedis } from './embedded-redis.ts';
import { DEFAULT_COMPACTION, quietAndDue, readAofInfo } from './quiet-compaction.ts';

const info = (fields: Record<string, number>): string =>
  `# Persistence\r\n${Object.entries(fields)
    .map(([name, value]) => `${name}:${value}`)
    .join('\r\n')}\r\n# Stats\r\n`;

const MB = 1024 * 1024;

/** INFO calls this test made (the rest are the compaction's polls). */
let ownInfoCalls = 0;

async function statsOf(redis: RedisClient): Promise<{ rewrites: number; polls: number; aofBytes: number }> {
  ownInfoCalls += 1;
  const text = await redis.info('all');
  const number = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    rewrites: number(/^aof_rewrites:(\d+)/m),
    // Less this call, counted or not yet.
    polls: number(/^cmdstat_info:calls=(\d+)/m) - ownInfoCalls,
    aofBytes: number(/^aof_current_size:(\d+)/m),
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('append-only file compaction when Redis is quiet', () => {
  it('is due at twice the base size past the minimum, and waits for Redis to be quiet', () => {
    const due = { aof_enabled: 1, aof_current_size: 200 * MB, aof_base_size: 90 * MB };
    const reading = (more: Record<string, number>) => readAofInfo(info({ ...due, ...more }));
    expect(quietAndDue(reading({ instantaneous_ops_per_sec: 3 }), DEFAULT_COMPACTION)).toBe(true);
    expect(quietAndDue(reading({ instantaneous_ops_per_sec: 4000 }), DEFAULT_COMPACTION)).toBe(false);
    expect(quietAndDue(reading({ aof_base_size: 110 * MB }), DEFAULT_COMPACTION)).toBe(false);
    expect(quietAndDue(reading({ aof_current_size: 60 * MB, aof_base_size: 1 }), DEFAULT_COMPACTION)).toBe(
      false,
    );
    expect(quietAndDue(reading({ aof_rewrite_in_progress: 1 }), DEFAULT_COMPACTION)).toBe(false);
    expect(quietAndDue(reading({ aof_enabled: 0 }), DEFAULT_COMPACTION)).toBe(false);
  });

  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-compaction-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('an embedded Redis under writes keeps its file; once quiet it rewrites it, and keeps every write', async () => {
    const server = await startEmbeddedRedis({
      dataDir,
      appendfsync: 'no',
      logger: createLogger('t', 'silent'),
      compaction: { ...DEFAULT_COMPACTION, minBytes: MB, quietPolls: 2, pollMs: 100 },
    });
    const redis = createRedis(server.url, 'worker');
    // Overwrites of the same keys: the file grows far past twice what a rewrite leaves.
    let writing = true;
    let writes = 0;
    let load: Promise<void> = Promise.resolve();
    try {
      load = (async () => {
        while (writing) {
          const p = redis.pipeline();
          for (let i = 0; i < 200; i++) p.set(`k${i % 50}`, 'x'.repeat(1000));
          await p.exec();
          writes += 200;
        }
      })();
      // Past Redis's own 64 MB minimum: the file started empty (a base of 0, which any percentage
      // exceeds), and Redis does not rewrite it there on its own either.
      const busy = await until(
        () => statsOf(redis),
        (s) => s.aofBytes > 72 * MB || s.rewrites > 0,
      );
      expect(busy.rewrites).toBe(0);
      // Five more polls while the writes go on: none starts a rewrite.
      const polled = await until(
        () => statsOf(redis),
        (s) => s.polls >= busy.polls + 6,
      );
      expect(polled.rewrites).toBe(0);
      writing = false;
      await load;
      const quiet = await until(
        () => statsOf(redis),
        (s) => s.rewrites >= 1,
      );
      expect(quiet.rewrites).toBe(1);
      const after = await until(
        () => redis.info('persistence'),
        (text) => /^aof_rewrite_in_progress:0/m.test(text),
      );
      expect(readAofInfo(after).currentBytes).toBeLessThan(MB);
      expect(writes).toBeGreaterThan(0);
      expect(await redis.get('k7')).toBe('x'.repeat(1000));
    } finally {
      writing = false;
      await load;
      redis.disconnect();
      await server.stop();
    }
  }, 60_000);
});
