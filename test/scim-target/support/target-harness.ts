import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { redisReady } from '../../../scim-target/src/store/redis-ready.ts';
import { createTarget } from '../../../scim-target/src/target.ts';
import { createLogger } from '../../../shared/src/logger/logger.ts';
import { createRedis } from '../../../shared/src/redis/connection.ts';
import { apiClient } from '../../support/api-client.ts';
import { listenOnLoopback } from '../../support/raw-scim-server.ts';
import { testRedisUrl, uniquePrefix } from '../../support/redis.ts';
import { createTargetOrg } from '../../support/target-org.ts';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export interface RequestSpec {
  method: string;
  path: string;
  body?: unknown;
  /** Sent as is, e.g. malformed JSON. */
  raw?: string;
  /** A body of this many bytes (a valid JSON string literal). */
  rawBytes?: number;
  /** The Authorization header; null sends none. */
  authorization?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}

async function send(url: string, spec: RequestSpec, defaultAuthorization: string): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...spec.headers };
  const authorization = spec.authorization === undefined ? defaultAuthorization : spec.authorization;
  if (authorization !== null) headers.authorization = authorization;
  let body: string | undefined;
  if (spec.rawBytes !== undefined) body = JSON.stringify('x'.repeat(spec.rawBytes));
  else if (spec.raw !== undefined) body = spec.raw;
  else if (spec.body !== undefined) body = JSON.stringify(spec.body);
  if (body !== undefined) headers['content-type'] = spec.contentType ?? 'application/scim+json';
  const res = await fetch(url, { method: spec.method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export interface TestOrg {
  id: string;
  token: string;
  scim(spec: RequestSpec): Promise<HttpAnswer>;
}

/** The real target app on 127.0.0.1:0 over the suite's real Redis, with helpers to drive it over HTTP. */
export async function startTarget(options: { keyPrefix?: string; adminToken?: string } = {}) {
  const redis = createRedis(testRedisUrl(), 'api');
  await redisReady(redis);
  const adminToken = options.adminToken ?? randomBytes(18).toString('base64url');
  let baseUrl = '';
  const { app } = createTarget({
    redis,
    keyPrefix: options.keyPrefix ?? uniquePrefix('target'),
    adminToken,
    logger: createLogger('target-test', 'silent'),
    publicBaseUrl: () => baseUrl,
  });
  const server = createServer(app);
  baseUrl = await listenOnLoopback(server);

  const admin = (spec: RequestSpec) =>
    send(
      `${baseUrl}/target-api${spec.path}`,
      { contentType: 'application/json', ...spec },
      `Bearer ${adminToken}`,
    );

  async function adminOk(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const answer = await admin({ method, path, body });
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
    return answer.body as Record<string, unknown>;
  }

  /** An organization ready for SCIM: SSO configured and enforced, SCIM on, a fresh token. */
  async function newOrg(
    settings: { strictAttributes?: boolean; seatLimit?: number | null } = {},
  ): Promise<TestOrg> {
    const org = await createTargetOrg(apiClient(baseUrl, adminToken), { name: 'Acme', ...settings });
    return {
      id: org.orgId,
      token: org.token,
      scim: (spec) => send(`${org.scimBaseUrl}${spec.path}`, spec, `Bearer ${org.token}`),
    };
  }

  return {
    baseUrl: () => baseUrl,
    adminToken,
    admin,
    adminOk,
    newOrg,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}

export type TargetHarness = Awaited<ReturnType<typeof startTarget>>;
