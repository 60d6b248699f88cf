import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import newman, { type NewmanSummary } from 'newman';
import { loadConfig } from '../../shared/src/config/env.ts';
import { createLogger } from '../../shared/src/logger/logger.ts';
import { createRedis } from '../../shared/src/redis/connection.ts';
import { type EmbeddedRedis, startEmbeddedRedis } from '../../shared/src/redis/embedded-redis.ts';
import { redisReady } from '../src/store/redis-ready.ts';
import { createTarget } from '../src/target.ts';

/**
 * `npm run conformance -- <collection.json>`: Microsoft's SCIM Postman collection against a fresh
 * organization of the built-in target, through newman's node API.
 */

const listen = (server: Server): Promise<number> =>
  new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      done(typeof address === 'object' && address ? address.port : 0);
    }),
  );

async function call(base: string, adminToken: string, method: string, path: string, body: unknown) {
  const res = await fetch(`${base}/target-api${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

/**
 * The collection starts with `GET /{Api}/Token`. The target has no such endpoint (its tokens come
 * from the management API, shown once); this harness-only front answers it with the token it
 * generated and forwards every other request to the target untouched.
 */
function tokenFront(targetPort: number, tokenPath: string, token: string): Server {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url?.toLowerCase() === tokenPath.toLowerCase()) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => res.writeHead(502).end(err.message));
    req.pipe(upstream);
  });
}

const runNewman = (collection: string, envVar: { key: string; value: string }[]) =>
  new Promise<NewmanSummary>((done, fail) =>
    newman.run({ collection, envVar, reporters: ['cli'] }, (err, summary) =>
      err ? fail(err) : done(summary),
    ),
  );

async function main(): Promise<number> {
  const collectionArg = process.argv[2];
  if (!collectionArg) {
    console.error('usage: npm run conformance -- <postman collection.json>');
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('conformance', 'warn');
  const dataDir = config.REDIS_URL ? undefined : mkdtempSync(join(tmpdir(), 'provisim-conformance-'));
  const embedded: EmbeddedRedis | undefined = dataDir
    ? await startEmbeddedRedis({ dataDir, appendfsync: 'no', logger })
    : undefined;
  const redis = createRedis(config.REDIS_URL ?? (embedded as EmbeddedRedis).url, 'api');
  await redisReady(redis);
  const adminToken = randomBytes(24).toString('base64url');
  let baseUrl = '';
  const { app } = createTarget({
    redis,
    keyPrefix: `conformance-${randomBytes(4).toString('hex')}`,
    adminToken,
    logger,
    publicBaseUrl: () => baseUrl,
  });
  const target = createServer(app);
  const targetPort = await listen(target);
  baseUrl = `http://127.0.0.1:${targetPort}`;
  let front: Server | undefined;
  try {
    // Microsoft's collection posts full core and enterprise users: Calendly's strict mode would refuse them.
    const org = await call(baseUrl, adminToken, 'POST', '/orgs', {
      name: 'SCIM conformance',
      strictAttributes: false,
    });
    const orgPath = `/orgs/${String(org.id)}`;
    await call(baseUrl, adminToken, 'PUT', `${orgPath}/sso`, { configured: true, enforced: true });
    await call(baseUrl, adminToken, 'PUT', `${orgPath}/scim`, { enabled: true });
    const { token } = await call(baseUrl, adminToken, 'POST', `${orgPath}/tokens`, { lifetimeDays: 1 });
    const api = `scim/v2/${String(org.id)}`;
    front = tokenFront(targetPort, `/${api}/Token`, String(token));
    const frontPort = await listen(front);
    const summary = await runNewman(resolve(collectionArg), [
      { key: 'Protocol', value: 'http' },
      { key: 'Server', value: '127.0.0.1' },
      { key: 'Port', value: `:${frontPort}` },
      { key: 'Api', value: api },
    ]);
    const { total, failed } = summary.run.stats.assertions;
    for (const failure of summary.run.failures)
      console.log(
        `FAILED: ${failure.source?.name ?? '?'}: ${failure.error.test ?? ''} ${failure.error.message}`,
      );
    console.log(`${total - failed} passed, ${failed} failed`);
    await call(baseUrl, adminToken, 'DELETE', orgPath, undefined);
    return failed === 0 ? 0 : 1;
  } finally {
    front?.close();
    target.close();
    target.closeAllConnections();
    await redis.quit().catch(() => redis.disconnect());
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
