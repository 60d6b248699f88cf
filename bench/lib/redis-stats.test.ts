import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../test/support/redis.ts';
import {
  diffCommandStats,
  forkCount,
  keyKind,
  parseCommandStats,
  readCommandStats,
  readSlowlog,
} from './redis-stats.ts';
import { withScratchRedis } from './scratch-redis.ts';

describe('redis-stats', () => {
  const redis = new Redis(testRedisUrl());
  afterAll(() => redis.quit());

  it('names a key by its kind: the given apps and users, ids and numbers replaced', () => {
    const apps = new Set(['0mx1zd0dvd91c3471ada7']);
    const users = new Set(['user-7']);
    expect(keyKind('bench:app:{0mx1zd0dvd91c3471ada7}:au:user-7', apps, users)).toBe(
      'bench:app:{<app>}:au:<user>',
    );
    expect(keyKind('bench:app:{0mx1zd0dvd91c3471ada7}:task:0mx1zd0xnd4de4e4d61b9', apps, users)).toBe(
      'bench:app:{<app>}:task:<id>',
    );
    expect(keyKind('bench:log:{0mx1zd0dvd91c3471ada7}:u:97', apps, users)).toBe('bench:log:{<app>}:u:<n>');
    expect(keyKind('bench:bull:push-{other}:12', apps, users)).toBe('bench:bull:push-{other}:<n>');
  });

  it('parses INFO commandstats lines, including subcommands', () => {
    const info =
      '# Commandstats\r\ncmdstat_get:calls=3,usec=9,usec_per_call=3.00\r\ncmdstat_client|list:calls=2,usec=1\r\n';
    expect(parseCommandStats(info)).toEqual(
      new Map([
        ['get', { calls: 3, usec: 9 }],
        ['client|list', { calls: 2, usec: 1 }],
      ]),
    );
  });

  it('counts the commands run between two readings, most first', async () => {
    const key = `${uniquePrefix('stats')}:k`;
    const before = await readCommandStats([redis]);
    await redis.set(key, '1');
    for (let i = 0; i < 5; i++) await redis.incr(key);
    await redis.del(key);
    const delta = diffCommandStats(before, await readCommandStats([redis]));
    // Other tests share this server: assert at least our own calls, in order.
    expect(delta.byCommand.find((c) => c.command === 'incr')?.calls).toBeGreaterThanOrEqual(5);
    expect(delta.byCommand.find((c) => c.command === 'set')?.calls).toBeGreaterThanOrEqual(1);
    const calls = delta.byCommand.map((c) => c.calls);
    expect(calls).toEqual([...calls].sort((a, b) => b - a));
    expect(delta.total).toBe(calls.reduce((a, b) => a + b, 0));
  });

  it("times each command, a script's time including the commands it calls", async () => {
    const key = `${uniquePrefix('stats')}:n`;
    const before = await readCommandStats([redis]);
    await redis.eval("for i = 1, 20000 do redis.call('INCR', KEYS[1]) end", 1, key);
    await redis.del(key);
    const delta = diffCommandStats(before, await readCommandStats([redis]));
    const stat = (command: string) => delta.byCommand.find((c) => c.command === command);
    expect(stat('incr')?.calls).toBeGreaterThanOrEqual(20_000);
    expect(stat('incr')?.usec).toBeGreaterThan(0);
    expect(stat('eval')?.usec).toBeGreaterThanOrEqual(stat('incr')?.usec ?? Infinity);
  });

  it('reads the slowlog', async () => {
    await redis.config('SET', 'slowlog-log-slower-than', '0');
    await redis.set(`${uniquePrefix('slow')}:k`, 'v');
    const entries = await readSlowlog([redis], 5);
    await redis.config('SET', 'slowlog-log-slower-than', '10000');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.some((e) => e.command.startsWith('set '))).toBe(true);
  });

  it("counts an append-only-file rewrite's fork", () =>
    withScratchRedis('forks', async (server) => {
      const before = await forkCount([server]);
      await server.set('some', 'data');
      await server.bgrewriteaof();
      // A rewrite Redis had under way at start would make this one wait for it: wait for the fork.
      await vi.waitFor(async () => expect(await forkCount([server])).toBe(before + 1), { timeout: 10_000 });
    }));
});
