import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../shared/src/redis/embedded-redis.ts';
import { apiClient } from '../support/api-client.ts';
import { expectExactlyOnce } from '../support/expectations.ts';
import { assignNewUsers, setUpAppOnNewOrg, waitHealthy, waitIdle } from '../support/factories.ts';
import { type ChildEnv, killAllChildren, startServerProcess } from '../support/processes.ts';
import { targetUsers } from '../support/target-org.ts';

const USERS = 200;

describe('the plug is pulled on `npm start` (embedded Redis) mid-push', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-plug-'));

  afterAll(async () => {
    await killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('after a restart on the same data folder, every approved user is pushed once', {
    timeout: 150_000,
  }, async () => {
    const env: ChildEnv = {
      REDIS_URL: undefined,
      PROVISIM_DATA_DIR: dataDir,
      PROVISIM_ADMIN_TOKEN: randomBytes(18).toString('base64url'),
      PROVISIM_REDIS_APPENDFSYNC: 'always',
      PROVISIM_RETRY_BASE_MS: '50',
      PORT: String(await freeLoopbackPort()),
      TARGET_PORT: String(await freeLoopbackPort()),
      LOG_LEVEL: 'warn',
    };
    const first = await startServerProcess(env);
    const api = apiClient(first.apiUrl, env.PROVISIM_ADMIN_TOKEN as string);
    await waitHealthy(first.apiUrl);
    // Slow answers keep pushes in flight when the plug is pulled.
    const { org, appId } = await setUpAppOnNewOrg(api, { faults: { latencyMs: 30 } });
    await assignNewUsers(api, appId, USERS, 'plug');
    expect((await api.ok('POST', `/api/apps/${appId}/tasks/approve-all`)).approved).toBe(USERS);

    let provisioned = 0;
    while (provisioned < 20) {
      provisioned = (await api.ok('GET', `/api/apps/${appId}`)).counts.provisioned;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(provisioned).toBeLessThan(USERS);
    // The API process and its redis-server child die at once, as in a power cut.
    const exit = await first.killGroup('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');

    const second = await startServerProcess(env);
    expect(second.apiUrl).toBe(first.apiUrl);
    await waitHealthy(first.apiUrl);
    await waitIdle(api, appId, 100_000);

    expectExactlyOnce(
      await targetUsers(api, org.orgId),
      Array.from({ length: USERS }, (_, i) => `plug-${i}@example.com`),
    );
    expect((await api.all(`/api/apps/${appId}/tasks?status=succeeded`)).length).toBe(USERS);
    const approved = new Set(
      (await api.all(`/api/provisioning-log?appId=${appId}&status=approved`)).map((e) => e.taskId),
    );
    expect(approved.size).toBe(USERS);
  });
});
