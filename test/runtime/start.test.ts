import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');

function run(
  entry: string,
  env: Record<string, string>,
): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(tsx, [entry], { env: { ...process.env, ...env, REDIS_URL: '', LOG_LEVEL: 'warn' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start without REDIS_URL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts its own Redis, prints a login URL with a generated token, and stops everything on SIGTERM', async () => {
    const { child, output } = run('server/src/main.ts', {
      PROVISIM_DATA_DIR: dataDir,
      PORT: '0',
      TARGET_PORT: '0',
    });
    const loginUrl = await waitFor(
      () => /Open the admin console:\s+(\S+)/.exec(output())?.[1],
      'the login URL',
    );
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(loginUrl).toMatch(new RegExp(`/login#token=${token}$`));

    const apiUrl = new URL(loginUrl).origin;
    const health = await fetch(`${apiUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', redis: 'ok' });
    expect((await fetch(`${apiUrl}/api/users`)).status).toBe(401);
    const users = await fetch(`${apiUrl}/api/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);

    const redisPort = Number(new URL(readFileSync(join(dataDir, 'redis-url'), 'utf8').trim()).port);
    const redisPid = Number(
      execFileSync('redis-cli', ['-p', String(redisPort), 'info', 'server'])
        .toString()
        .match(/process_id:(\d+)/)?.[1],
    );
    expect(processAlive(redisPid)).toBe(true);

    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(processAlive(redisPid)).toBe(false);
  });

  it('refuses a bad setting with a message naming the variable', async () => {
    const { child, output } = run('server/src/main.ts', { PROVISIM_DATA_DIR: dataDir, PORT: 'not-a-port' });
    expect(await exited(child)).toBe(1);
    expect(output()).toMatch(/PORT:/);
  });
});
