import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { createTargetOrg, createUsers, setUpApp } from '../support/factories.ts';
import { mapLimit } from '../support/map-limit.ts';
import { killAllChildren, type ServerProcess, startServerProcess } from '../support/processes.ts';
import { testRedisUrl, uniquePrefix } from '../support/redis.ts';
import { throughOrigin } from '../support/target-org.ts';
import {
  bodyText,
  describeRequest,
  type FuzzWorld,
  type HostileRequest,
  hostileRequests,
} from './support/hostile-requests.ts';
import { openApiOperations } from './support/openapi-operations.ts';
import { TARGET_API_OPERATIONS } from './support/target-api-operations.ts';

/**
 * The reliability fuzz: seeded hostile requests (deep and huge bodies, bad percent-encoding, unicode,
 * NUL) at every part `npm start` serves — /api, /target-api on both ports, the target's SCIM — against
 * the real process. It counts process deaths and 500s; both must be 0. `npm test` sends a short run;
 * `npm run fuzz` sends 10,000. Replay a run with PROVISIM_FUZZ_SEED (and PROVISIM_FUZZ_RUNS).
 */
const RUNS = Number(process.env.PROVISIM_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.PROVISIM_FUZZ_SEED ?? randomBytes(4).readUInt32BE() >> 1);
const LANES = 4;
const NO_ANSWER = 'no answer within 60 s';

interface Answer {
  status: number | null;
  error?: string;
  text: string;
}

/** One request with its path exactly as generated (fetch would normalise a bad `%`). */
function send(baseUrl: string, token: string, req: HostileRequest): Promise<Answer> {
  const url = new URL(baseUrl);
  const payload = bodyText(req.body);
  const headers: Record<string, string> = {};
  if (req.auth === 'valid') headers.authorization = `Bearer ${token}`;
  if (req.auth === 'wrong') headers.authorization = 'Bearer wrong-token-wrong-token';
  if (req.contentType) headers['content-type'] = req.contentType;
  // Node frames a GET or DELETE body only when told its length.
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers,
        timeout: 60_000,
        agent: false,
      },
      (res) => {
        // The live tail never ends: its status is the answer.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? null, text: '' });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? null, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', (err) => resolve({ status: res.statusCode ?? null, error: err.message, text: '' }));
      },
    );
    // A server may answer 413 and close before reading a huge body: only the answer counts.
    outgoing.on('error', (err) => resolve({ status: null, error: err.message, text: '' }));
    outgoing.on('timeout', () => outgoing.destroy(new Error(NO_ANSWER)));
    outgoing.end(payload);
  });
}

describe(`hostile fuzz: ${RUNS} requests at /api, /target-api and the target's SCIM`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisim-fuzz-'));
  const adminToken = randomBytes(18).toString('base64url');
  let server: ServerProcess;
  let world: FuzzWorld;
  let scimToken: string;

  beforeAll(async () => {
    server = await startServerProcess({
      REDIS_URL: testRedisUrl(),
      PROVISIM_KEY_PREFIX: uniquePrefix('fuzz'),
      PROVISIM_DATA_DIR: dataDir,
      PROVISIM_ADMIN_TOKEN: adminToken,
      PROVISIM_IN_PROCESS_WORKERS: 'false',
      PROVISIM_TARGET_ALLOWLIST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const api = apiClient(server.apiUrl, adminToken);
    const org = await createTargetOrg(api, { name: 'Fuzzed Org', strictAttributes: false });
    scimToken = org.token;
    const scim = apiClient(throughOrigin(org.scimBaseUrl, server.targetUrl), org.token);
    const scimUser = await scim.ok('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'fixture@example.com',
    });
    const group = await scim.ok('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Fixture group',
    });
    const appId = await setUpApp(api, { scimBaseUrl: org.scimBaseUrl, token: org.token });
    const [userId] = (await createUsers(api, 1, 'fuzz')) as [string];
    await api.ok('POST', `/api/apps/${appId}/users`, { userId });
    const [task] = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    const role = await api.ok('POST', '/api/roles', { name: 'Fuzz role' });
    world = {
      apiOperations: openApiOperations(await api.ok('GET', '/api/openapi.json')),
      targetApiOperations: TARGET_API_OPERATIONS,
      ids: {
        orgId: org.orgId,
        scimId: scimUser.id,
        groupId: group.id,
        appId,
        userId,
        taskId: task.id,
        roleId: role.id,
      },
    };
  });

  afterAll(async () => {
    await killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // A long run takes minutes; the timeout grows with it.
  it('no process dies and nothing answers 500', { timeout: Math.max(60_000, RUNS * 300) }, async () => {
    const requests = fc.sample(hostileRequests(world), { seed: SEED, numRuns: RUNS });
    let dead: string | undefined;
    server.exited.then((exit) => {
      dead = `the server process exited (${JSON.stringify(exit)}) after ${sent} requests; its output ends:\n${server.output().slice(-3000)}`;
    });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    let resets = 0;
    await mapLimit(requests, LANES, async (req, index) => {
      if (dead) return;
      const base = req.listener === 'api' ? server.apiUrl : server.targetUrl;
      const token = req.listener === 'target' && req.path.startsWith('/scim/') ? scimToken : adminToken;
      const answer = await send(base, token, req);
      sent += 1;
      if (answer.status !== null) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === null && answer.error !== NO_ANSWER) {
        // Answered before the body was read (401, 404, 413) and reset while it was still being sent.
        resets += 1;
        return;
      }
      if (answer.status !== null && answer.status < 500) return;
      failures.push(
        `#${index} ${describeRequest(req)} -> ${answer.status ?? answer.error} ${answer.text.slice(0, 300)}`,
      );
    });
    const targetDeaths = server.output().match(/built-in target exited/g)?.length ?? 0;
    // A 500 is always logged, even one whose caller saw only a reset.
    const unexpectedErrors = server.output().match(/"msg":"unhandled (SCIM )?error"/g)?.length ?? 0;
    const deaths = (dead ? 1 : 0) + targetDeaths;
    console.info(
      `hostile fuzz: seed ${SEED}, ${sent} of ${RUNS} inputs sent, ${deaths} process deaths, ${failures.length} answers of 5xx or none, ${unexpectedErrors} unexpected errors logged, ${resets} connections reset after an early answer (replay: PROVISIM_FUZZ_SEED=${SEED} PROVISIM_FUZZ_RUNS=${RUNS}); statuses ${[
        ...statuses,
      ]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}: ${count}`)
        .join(', ')}`,
    );
    expect({ dead, targetDeaths, unexpectedErrors, failures: failures.slice(0, 20) }).toEqual({
      dead: undefined,
      targetDeaths: 0,
      unexpectedErrors: 0,
      failures: [],
    });
    expect((await fetch(`${server.apiUrl}/api/health`)).status).toBe(200);
  });
});
