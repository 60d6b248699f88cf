import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../shared/src/redis/embedded-redis.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const until = async (condition: () => boolean, what: string, totalMs = 10_000) => {
  const deadline = Date.now() + totalMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${totalMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('embedded Redis: shutting down right after it crashed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-redis-stop-'));
  const started: number[] = [];
  let redis: EmbeddedRedis | undefined;

  afterAll(() => {
    // Whatever the supervisor launched and left running is ours to end.
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops, and leaves no redis-server behind, when stop() comes before the restart', async () => {
    redis = await startEmbeddedRedis({
      dataDir,
      appendfsync: 'everysec',
      logger: createLogger('t', 'silent'),
    });
    const crashed = redis.pid() as number;
    started.push(crashed);
    process.kill(crashed, 'SIGKILL');
    await until(() => !alive(crashed), 'the killed redis-server is reaped');

    const stopped = await Promise.race([
      redis.stop().then(() => 'stopped'),
      new Promise((r) => setTimeout(() => r('stop() never returned'), 5000)),
    ]);
    // Past the supervisor's restart delay: a relaunch scheduled before stop() would have happened by now.
    await new Promise((r) => setTimeout(r, 600));
    const current = redis.pid();
    if (current !== undefined) started.push(current);
    expect(stopped).toBe('stopped');
    expect(
      current === undefined || current === crashed || !alive(current),
      `redis-server ${current} still runs`,
    ).toBe(true);
  });
});
