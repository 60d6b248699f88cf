import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, Reply } from '../../support/api-client.ts';
import type { TestStack } from '../../support/stack.ts';
import type { JsonSchema, Operation } from './openapi-operations.ts';
import { snapshotStore, storeChanges } from './store-snapshot.ts';

const RUNS = 25;
const BODY_LIMIT_BYTES = 1024 * 1024;

/** What a bad-input suite runs against: a started stack, its operations, and a valid request for each. */
export interface BadInputSubject {
  stack: TestStack;
  api: Api;
  operations: Operation[];
  /** A body the operation accepts (for those that take one), so that one changed part is all that is wrong. */
  validBodies: Record<string, () => Record<string, unknown>>;
  /** Real ids for the path parameters (`{appId}` -> an app that exists). */
  pathParams: Record<string, string>;
}

export interface BadInputContext {
  subject: BadInputSubject;
  /** Sends one request and checks the house rules (see `badInputSuite`). */
  probe(op: Operation, path: string, init: { body?: unknown; rawBody?: string }): Promise<Reply>;
}

export const keyOf = (op: Operation) => `${op.method} ${op.path}`;

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

/**
 * Registers the property-based bad-input tests over `setup()`'s operations: random and truncated
 * bodies, wrong types, unknown fields, huge strings, bodies over the limit, bad ids and bad query
 * values. Every answer must be below 500; a refusal must be the contract's error (a 400 naming the
 * field) and leave the store (every state key under the stack's prefix) as it was.
 */
export function badInputSuite(
  title: string,
  setup: () => Promise<BadInputSubject>,
  extraTests: (context: () => BadInputContext) => void = () => {},
): void {
  describe(title, () => {
    let subject: BadInputSubject;
    let redis: Redis;
    let tried = 0;

    beforeAll(async () => {
      subject = await setup();
      redis = new Redis(subject.stack.redisUrl);
    });

    afterAll(async () => {
      console.info(`${title}: ${tried} requests tried over ${subject?.operations.length ?? 0} operations`);
      redis?.disconnect();
      await subject?.stack.stop();
    });

    const validBody = (op: Operation) => subject.validBodies[keyOf(op)]?.();

    const pathOf = (op: Operation, overrides: Record<string, string> = {}) =>
      op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(overrides[name] ?? subject.pathParams[name] ?? name),
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
      const before = await snapshotStore(redis, subject.stack.keyPrefix);
      const reply = await subject.api(
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
        expect(storeChanges(before, await snapshotStore(redis, subject.stack.keyPrefix)), where).toEqual([]);
      }
      return reply;
    };

    const bodyOps = () => subject.operations.filter((op) => op.hasBody);

    it('knows a valid request for every operation that takes a body', () => {
      expect(
        bodyOps()
          .map(keyOf)
          .filter((key) => !subject.validBodies[key]),
      ).toEqual([]);
    });

    it('refuses random and malformed bodies', async () => {
      await everyOperation(bodyOps(), async (op) => {
        await fc.assert(
          fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
            await probe(op, pathOf(op), { body });
          }),
          { numRuns: RUNS },
        );
        const valid = JSON.stringify(validBody(op));
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
              const body = { ...validBody(op), [name]: value };
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
              const body = { ...validBody(op), [name]: value };
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
              const body = { ...validBody(op), [name]: char.repeat(length) };
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
        const reply = await probe(op, pathOf(op), { body: { ...validBody(op), padding } });
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
        subject.operations.filter((o) => o.pathParams.length > 0),
        async (op) => {
          await fc.assert(
            fc.asyncProperty(fc.constantFrom(...op.pathParams), badId, async (param, id) => {
              const body = validBody(op);
              const reply = await probe(op, pathOf(op, { [param]: id }), { body });
              expect(reply.status, `${keyOf(op)} ${param}=${JSON.stringify(id)}`).toBeGreaterThanOrEqual(400);
            }),
            { numRuns: RUNS },
          );
        },
      );
    });

    it('answers a path parameter that is not validly percent-encoded with 400 naming the path', async () => {
      const raw = (op: Operation, param: string, value: string) =>
        op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === param ? value : encodeURIComponent(subject.pathParams[name] ?? name),
        );
      await everyOperation(
        subject.operations.filter((o) => o.pathParams.length > 0),
        async (op) => {
          for (const param of op.pathParams)
            for (const value of ['%', '%zz', 'a%', '%E0%A4%A']) {
              const reply = await probe(op, raw(op, param, value), { body: validBody(op) });
              expect(reply.status, `${keyOf(op)} ${param}=${value}`).toBe(400);
              expect(reply.body.error.details.field).toBe('path');
            }
        },
      );
    });

    it('refuses malformed query parameters, naming them', async () => {
      const badValue = fc.oneof(
        // A random string may happen to be valid (`1` is a good limit): those are not bad input.
        fc.string({ maxLength: 30 }).filter((s) => !/^[1-9]\d{0,2}$|^1000$/.test(s)),
        fc.constantFrom('-1', '0', '1001', '1e9', 'abc', '', '1.5', 'NaN', 'Infinity', 'null', '[]'),
        fc.integer({ min: 201, max: 5000 }).map((n) => 'q'.repeat(n)),
      );
      const queryOps = subject.operations.filter(
        (op) => op.queryParams.length > 0 && !op.path.endsWith('/stream'),
      );
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

    extraTests(() => ({ subject, probe }));
  });
}
