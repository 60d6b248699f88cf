import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../shared/src/redis/embedded-redis.ts';
import { apiClient } from '../support/api-client.ts';
import { createTargetOrg } from '../support/factories.ts';
import { killAllChildren, spawnTs } from '../support/processes.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';

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
    const { child, output } = run('launcher/start.ts', {
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
    const { child, output } = run('launcher/start.ts', { PROVISIM_DATA_DIR: dataDir, PORT: 'not-a-port' });
    expect(await exited(child)).toBe(1);
    expect(output()).toMatch(/PORT:/);
  });
});

describe('npm start isolates its parts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-isolation-'));
  afterAll(async () => {
    await killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const targetStarted = (except?: string) =>
    new RegExp(`"targetPid":${except ? `(?!${except}\\b)` : ''}(\\d+)[^\\n]*"built-in target started"`);

  it('restarts the built-in target after a SIGKILL while the API keeps answering, and keeps an operator token out of the login URL', async () => {
    const adminToken = randomBytes(18).toString('base64url');
    const targetPort = await freeLoopbackPort();
    const server = spawnTs('launcher/start.ts', {
      PROVISIM_DATA_DIR: dataDir,
      PROVISIM_ADMIN_TOKEN: adminToken,
      PROVISIM_IN_PROCESS_WORKERS: 'false',
      REDIS_URL: testRedisUrl(),
      PROVISIM_KEY_PREFIX: uniquePrefix('isolation'),
      PORT: '0',
      TARGET_PORT: String(targetPort),
      LOG_LEVEL: 'info',
    });
    const [, loginUrl] = (await server.waitFor(/Open the admin console:\s+(\S+)/, 90_000)) as [
      string,
      string,
    ];
    expect(loginUrl).toMatch(/\/login$/);
    expect(server.output()).not.toContain(adminToken);
    const [, firstPid] = (await server.waitFor(targetStarted())) as [string, string];

    const api = apiClient(new URL(loginUrl).origin, adminToken);
    const org = await createTargetOrg(api);
    expect(org.scimBaseUrl).toBe(`http://127.0.0.1:${targetPort}/scim/v2/${org.orgId}`);
    const scim = apiClient(org.scimBaseUrl, org.token);
    expect((await scim('GET', '/Users')).status).toBe(200);

    process.kill(Number(firstPid), 'SIGKILL');
    expect((await api('GET', '/api/health')).status).toBe(200);
    expect((await api('GET', '/api/users')).status).toBe(200);
    await server.waitFor(/"built-in target exited; restarting it"/);
    const [, secondPid] = (await server.waitFor(targetStarted(firstPid), 90_000)) as [string, string];
    expect(processAlive(Number(secondPid))).toBe(true);
    expect((await scim('GET', '/Users')).status).toBe(200);

    expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(processAlive(Number(secondPid))).toBe(false);
  });

  it('after a SIGKILL of the main process, the next start stops the Redis it left instead of running a second one', async () => {
    const env = {
      PROVISIM_DATA_DIR: dataDir,
      REDIS_URL: undefined,
      PORT: '0',
      TARGET_PORT: '0',
      LOG_LEVEL: 'warn',
    };
    const pidFile = join(dataDir, 'redis', 'redis.pid.json');
    const redisPid = () => (JSON.parse(readFileSync(pidFile, 'utf8')) as { redisPid: number }).redisPid;

    const first = spawnTs('launcher/start.ts', env);
    await first.waitFor(/provisim is running/, 90_000);
    const orphan = redisPid();
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(processAlive(orphan), 'redis-server outlives a SIGKILLed provisim').toBe(true);

    const second = spawnTs('launcher/start.ts', env);
    await second.waitFor(/provisim is running/, 90_000);
    expect(processAlive(orphan)).toBe(false);
    const replacement = redisPid();
    expect(replacement).not.toBe(orphan);
    expect(processAlive(replacement)).toBe(true);

    expect(await second.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(processAlive(replacement)).toBe(false);
  });
});
