import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { type JsonSchema, type Operation, openApiOperations } from './support/openapi-operations.ts';
import {
  ApiClient,
  createProvisioningApp,
  createTargetOrg,
  createUsers,
  type Reply,
  waitHealthy,
} from './support/provisim-client.ts';
import { snapshotStore, storeChanges } from './support/store-snapshot.ts';

const RUNS = 25;
const BODY_LIMIT_BYTES = 1024 * 1024;

interface Fixture {
  userId: string;
  otherUserId: string;
  roleId: string;
  appId: string;
  taskId: string;
  scimBaseUrl: string;
  scimToken: string;
}

/** A request each operation accepts, so that one changed part is the only thing wrong with it. */
const validBodies: Record<string, (f: Fixture) => Record<string, unknown>> = {
  'post /api/users': () => ({ firstname: 'Fuzz', lastname: 'Case', email: `fuzz-${Date.now()}@example.com` }),
  'patch /api/users/{userId}': () => ({ title: 'Engineer' }),
  'post /api/roles': () => ({ name: 'Fuzzers' }),
  'put /api/roles/{roleId}/apps': (f) => ({ appIds: [f.appId] }),
  'put /api/roles/{roleId}/users': (f) => ({ userIds: [f.userId] }),
  'post /api/apps': () => ({ connector: 'calendly', name: 'Fuzz app' }),
  'put /api/apps/{appId}/configuration': (f) => ({
    scimBaseUrl: f.scimBaseUrl,
    scimBearerToken: f.scimToken,
    dialect: 'onelogin',
  }),
  'put /api/apps/{appId}/parameters': () => ({ scimUsername: 'email' }),
  'put /api/apps/{appId}/provisioning': () => ({
    enabled: true,
    requireApproval: { create: true, update: true, delete: true },
    onDelete: 'suspend',
    onSuspend: 'suspend',
  }),
  'post /api/apps/{appId}/users': (f) => ({ userId: f.otherUserId }),
  'post /api/apps/{appId}/tasks/{taskId}/deny': () => ({ reason: 'not now' }),
};

const keyOf = (op: Operation) => `${op.method} ${op.path}`;

/** Runs `check` for every operation and fails once at the end listing each operation that broke a rule. */
async function everyOperation(ops: Operation[], check: (op: Operation) => Promise<void>): Promise<void> {
  const broken: string[] = [];
  for (const op of ops) {
    try {
      await check(op);
    } catch (err) {
      const text =
        err instanceof Error
          ? `${err.message}\n${(err.cause as Error | undefined)?.message ?? ''}`
          : String(err);
      broken.push(`${keyOf(op)}: ${text.slice(0, 600)}`);
    }
  }
  expect(broken).toEqual([]);
}

const typesOf = (schema: JsonSchema | undefined): string[] => {
  if (!schema) return [];
  if (schema.enum) return ['string'];
  if (schema.anyOf) return schema.anyOf.flatMap(typesOf);
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
};

/** Values whose JSON type is none of `types` (and never null, which some fields accept). */
const wrongTypeFor = (types: string[]): fc.Arbitrary<unknown> => {
  const candidates: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.string()],
    ['number', fc.double({ noNaN: true, noDefaultInfinity: true })],
    ['integer', fc.integer()],
    ['boolean', fc.boolean()],
    ['array', fc.array(fc.string(), { maxLength: 3 })],
    ['object', fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 })],
  ];
  const numeric = types.includes('number') || types.includes('integer');
  return fc.oneof(
    ...candidates
      .filter(([type]) => !types.includes(type) && !(numeric && (type === 'number' || type === 'integer')))
      .map(([, arb]) => arb),
  );
};

describe('bad input: every route of the OpenAPI document answers a clear 4xx and changes nothing', () => {
  let stack: TestStack;
  let api: ApiClient;
  let redis: Redis;
  let operations: Operation[];
  let fixture: Fixture;
  let tried = 0;

  beforeAll(async () => {
    stack = await startStack({ env: { PROVISIM_IN_PROCESS_WORKERS: 'false' } });
    await waitHealthy(new ApiClient(stack.apiUrl, stack.adminToken));
    api = new ApiClient(stack.apiUrl, stack.adminToken);
    redis = new Redis(stack.redisUrl);
    operations = openApiOperations(await api.ok('GET', '/api/openapi.json'));
    const org = await createTargetOrg(api);
    const appId = await createProvisioningApp(api, {
      scimBaseUrl: org.scimBaseUrl,
      token: org.token,
      requireApproval: { create: true, update: true, delete: true },
    });
    const [userId, otherUserId] = (await createUsers(api, 2, 'fixture')) as [string, string];
    await api.ok('POST', `/api/apps/${appId}/users`, { userId });
    const [task] = (await api.ok('GET', `/api/apps/${appId}/tasks?status=pending`)).items;
    const role = await api.ok('POST', '/api/roles', { name: 'Fixture role' });
    fixture = {
      userId,
      otherUserId,
      roleId: role.id,
      appId,
      taskId: task.id,
      scimBaseUrl: org.scimBaseUrl,
      scimToken: org.token,
    };
  });

  afterAll(async () => {
    console.info(`bad input: ${tried} requests tried over ${operations?.length ?? 0} operations`);
    redis?.disconnect();
    await stack?.stop();
  });

  const pathOf = (op: Operation, overrides: Record<string, string> = {}) =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(
        overrides[name] ?? String((fixture as unknown as Record<string, string>)[name] ?? name),
      ),
    );

  /**
   * Sends one request and checks the house rules: never a 5xx; a refusal is the contract's error
   * (a 400 naming the field) and leaves the store as it was. Returns the reply for extra checks.
   */
  const probe = async (
    op: Operation,
    path: string,
    init: { body?: unknown; rawBody?: string },
  ): Promise<Reply> => {
    const before = await snapshotStore(redis, stack.keyPrefix);
    const reply = await api.call(
      op.method.toUpperCase(),
      path,
      init.body,
      init.rawBody === undefined ? {} : { rawBody: init.rawBody },
    );
    tried += 1;
    const where = `${op.method.toUpperCase()} ${path.slice(0, 200)} ${JSON.stringify(init.body ?? init.rawBody ?? null)?.slice(0, 300)} -> ${reply.status} ${reply.text.slice(0, 300)}`;
    expect(reply.status, where).toBeLessThan(500);
    if (reply.status >= 400) {
      expect(reply.body, where).toMatchObject({
        error: { code: expect.any(String), message: expect.any(String) },
      });
      if (reply.status === 400) {
        expect(reply.body.error.details?.field, where).toEqual(expect.any(String));
        expect(reply.body.error.message, where).toContain(reply.body.error.details.field);
      }
      expect(storeChanges(before, await snapshotStore(redis, stack.keyPrefix)), where).toEqual([]);
    }
    return reply;
  };

  const bodyOps = () => operations.filter((op) => op.hasBody);

  it('knows a valid request for every operation that takes a body', () => {
    expect(
      bodyOps()
        .map(keyOf)
        .filter((key) => !validBodies[key]),
    ).toEqual([]);
    expect(operations.length).toBeGreaterThan(30);
  });

  it('refuses random and malformed bodies', async () => {
    await everyOperation(bodyOps(), async (op) => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
          await probe(op, pathOf(op), { body });
        }),
        { numRuns: RUNS },
      );
      const valid = JSON.stringify(validBodies[keyOf(op)]?.(fixture));
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: valid.length - 1 }), async (cut) => {
          const reply = await probe(op, pathOf(op), { rawBody: valid.slice(0, cut) });
          expect(reply.status).toBe(400);
          expect(reply.body.error.details.field).toBe('body');
        }),
        { numRuns: Math.min(RUNS, valid.length - 1) },
      );
    });
  });

  it('refuses a field of the wrong type, naming it', async () => {
    await everyOperation(bodyOps(), async (op) => {
      const properties = op.body?.properties ?? {};
      const names = Object.keys(properties);
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...names)
            .chain((name) => fc.tuple(fc.constant(name), wrongTypeFor(typesOf(properties[name])))),
          async ([name, value]) => {
            const body = { ...validBodies[keyOf(op)]?.(fixture), [name]: value };
            const reply = await probe(op, pathOf(op), { body });
            expect(reply.status, `${keyOf(op)} ${name}=${JSON.stringify(value)}`).toBe(400);
            expect(reply.body.error.details.field).toMatch(new RegExp(`^body\\.${name}\\b`));
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  it('refuses unknown fields, naming them', async () => {
    await everyOperation(bodyOps(), async (op) => {
      const known = new Set(Object.keys(op.body?.properties ?? {}));
      await fc.assert(
        fc.asyncProperty(
          fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,19}$/).filter((name) => !known.has(name)),
          fc.jsonValue({ maxDepth: 1 }),
          async (name, value) => {
            const body = { ...validBodies[keyOf(op)]?.(fixture), [name]: value };
            const reply = await probe(op, pathOf(op), { body });
            expect(reply.status, `${keyOf(op)} unknown ${JSON.stringify(name)}`).toBe(400);
            expect(reply.body.error.message).toContain(name);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  it('refuses huge strings, naming the field', async () => {
    await everyOperation(bodyOps(), async (op) => {
      const properties = op.body?.properties ?? {};
      const stringFields = Object.keys(properties).filter((name) =>
        typesOf(properties[name]).includes('string'),
      );
      if (stringFields.length === 0) return;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...stringFields),
          fc.integer({ min: 5_000, max: Math.floor(BODY_LIMIT_BYTES / 4) }),
          fc.constantFrom('a', 'Z', '0', '-', 'é', '\u4e2d'),
          async (name, length, char) => {
            const body = { ...validBodies[keyOf(op)]?.(fixture), [name]: char.repeat(length) };
            const reply = await probe(op, pathOf(op), { body });
            expect(reply.status, `${keyOf(op)} ${name} of ${length}`).toBe(400);
            expect(reply.body.error.details.field).toMatch(new RegExp(`^body\\.${name}\\b`));
          },
        ),
        { numRuns: 5 },
      );
    });
  });

  it('answers 413 to a body over the limit', async () => {
    await everyOperation(bodyOps(), async (op) => {
      const padding = 'x'.repeat(BODY_LIMIT_BYTES + 1);
      const reply = await probe(op, pathOf(op), { body: { ...validBodies[keyOf(op)]?.(fixture), padding } });
      expect(reply.status, keyOf(op)).toBe(413);
      expect(reply.body.error.code).toBe('payload_too_large');
    });
  });

  it('answers bad ids in the path with a 4xx', async () => {
    // '.' and '..' are left out: every HTTP client resolves them away before the request is sent.
    const dotSegment = (id: string) => id === '.' || id === '..';
    const badId = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }).filter((id) => !dotSegment(id)),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((id) => !dotSegment(id)),
      fc.constantFrom(
        '...',
        '.hidden',
        '%',
        '%00',
        'null',
        'undefined',
        '0',
        '-1',
        ' ',
        '*',
        '__proto__',
        'constructor',
      ),
      fc.integer({ min: 101, max: 5000 }).map((n) => 'a'.repeat(n)),
    );
    await everyOperation(
      operations.filter((o) => o.pathParams.length > 0),
      async (op) => {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...op.pathParams), badId, async (param, id) => {
            const body = validBodies[keyOf(op)]?.(fixture);
            const reply = await probe(op, pathOf(op, { [param]: id }), { body });
            expect(reply.status, `${keyOf(op)} ${param}=${JSON.stringify(id)}`).toBeGreaterThanOrEqual(400);
          }),
          { numRuns: RUNS },
        );
      },
    );
  });

  it('refuses bad filters on the export and the live tail (which takes appId only) before streaming', async () => {
    const cases: Array<[string, string]> = [
      ['/api/provisioning-log/export?format=xml', 'format'],
      ['/api/provisioning-log/export?format=csv&status=bogus', 'status'],
      ['/api/provisioning-log/export?format=ndjson&since=yesterday', 'since'],
      [
        '/api/provisioning-log/export?format=csv&since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z',
        'until',
      ],
      [`/api/provisioning-log/stream?appId=${'a'.repeat(5000)}`, 'appId'],
    ];
    const get = (path: string) =>
      operations.find((op) => op.method === 'get' && op.path === path) as Operation;
    for (const [path, field] of cases) {
      const op = get(path.slice(0, path.indexOf('?')));
      const reply = await probe(op, path, {});
      expect(reply.status, path).toBe(400);
      expect(reply.body.error.details.field, path).toContain(field);
    }
  });

  it('refuses malformed query parameters, naming them', async () => {
    const badValue = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('-1', '0', '1001', '1e9', 'abc', '', '1.5', 'NaN', 'Infinity', 'null', '[]'),
      fc.integer({ min: 201, max: 5000 }).map((n) => 'q'.repeat(n)),
    );
    const queryOps = operations.filter((op) => op.queryParams.length > 0 && !op.path.endsWith('/stream'));
    expect(queryOps.length).toBeGreaterThan(3);
    await everyOperation(queryOps, async (op) => {
      const names = op.queryParams.map((p) => p.name);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), badValue, fc.boolean(), async (name, value, twice) => {
          const query = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
          const reply = await probe(op, `${pathOf(op)}?${twice ? `${query}&${query}` : query}`, {});
          if (reply.status === 400) expect(reply.body.error.details.field).toContain(name);
          if (twice) expect(reply.status, `${keyOf(op)} ${name} twice`).toBe(400);
        }),
        { numRuns: RUNS },
      );
    });
  });
});
