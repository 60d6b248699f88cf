import fc from 'fast-check';
import type { Operation } from './openapi-operations.ts';

/** Where a request goes: the API process (`/api`, `/target-api`, the UI) or the built-in target's own port. */
export type Listener = 'api' | 'target';

/** A body as a small description, built only when sent (10,000 bodies of up to 1.2 MB do not sit in memory). */
export type BodySpec =
  | { kind: 'none' }
  | { kind: 'deep'; opener: '[' | '{"a":' | '[{"a":'; depth: number }
  | { kind: 'huge-string'; field: string; char: string; length: number }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string };

export interface HostileRequest {
  listener: Listener;
  method: string;
  /** Sent as is: it may hold a bare `%`, `%zz` or half a UTF-8 sequence. */
  path: string;
  auth: 'valid' | 'none' | 'wrong';
  contentType: string | null;
  body: BodySpec;
}

/** The real ids and operations a run aims at (requests with real ids reach the handlers, not only 404s). */
export interface FuzzWorld {
  apiOperations: Operation[];
  targetApiOperations: Operation[];
  ids: Record<string, string>;
}

const SCIM_OPERATIONS: Array<[string, string]> = [
  ['get', '/Users'],
  ['post', '/Users'],
  ['post', '/Users/.search'],
  ['get', '/Users/{scimId}'],
  ['put', '/Users/{scimId}'],
  ['patch', '/Users/{scimId}'],
  ['delete', '/Users/{scimId}'],
  ['get', '/Groups'],
  ['post', '/Groups'],
  ['get', '/Groups/{groupId}'],
  ['put', '/Groups/{groupId}'],
  ['patch', '/Groups/{groupId}'],
  ['get', '/ServiceProviderConfig'],
  ['post', '/ServiceProviderConfig'],
  ['get', '/ResourceTypes'],
  ['get', '/ResourceTypes/User'],
  ['put', '/ResourceTypes/User'],
  ['get', '/Schemas'],
  ['get', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'],
  ['delete', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'],
  ['post', '/Bulk'],
  ['get', '/Me'],
];

/** Percent-encodes the UTF-8 of `text` (a lone surrogate becomes U+FFFD) where percentEncode would throw. */
const percentEncode = (text: string): string =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** Path segments no router should choke on: bad or partial percent-encoding, NUL, overlong UTF-8, long ones. */
const badSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%',
    '%%',
    '%zz',
    '%0',
    '%G1',
    '%E0%A4%A',
    '%C0%AF',
    '%FF',
    '%ED%A0%80',
    '%00',
    'a%00b',
    '%2e%2e',
    '..%2f..%2f',
    'a%2Fb',
    '%u0041',
    '__proto__',
    'constructor',
    '\u00e9',
    ';',
    '*',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(percentEncode),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).map(percentEncode),
  fc.integer({ min: 100, max: 9000 }).map((n) => 'a'.repeat(n)),
);

/** Text that trips encoders: unicode of every plane, lone surrogates, NUL, BOM, bidi overrides, long runs. */
const weirdString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\uFEFF', '\uD800', '\uDFFF', '\u202Eevil', '𝕏🧪', '%', '%00', ''),
  fc.string({ minLength: 1, maxLength: 4 }).map((s) => s.repeat(2000)),
);

const weirdFilter: fc.Arbitrary<string> = fc.oneof(
  weirdString,
  fc.integer({ min: 1, max: 4000 }).map((n) => `${'('.repeat(n)}userName eq "a"${')'.repeat(n)}`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${'emails['.repeat(n)}value eq "a"${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `${'not ('.repeat(n)}active eq true${')'.repeat(n)}`),
  fc.integer({ min: 1, max: 800 }).map((n) => Array(n).fill('emails[type eq "w"].value co "x"').join(' or ')),
  fc.constantFrom('userName eq', 'eq "a"', 'userName eq "\u0000"', 'userName sw "%"', '(', ']', '"'),
);

const weirdPatchPath: fc.Arbitrary<string> = fc.oneof(
  weirdString,
  fc.constantFrom(
    'emails[type eq "work"].value',
    'name.givenName',
    'members[value eq "x"]',
    'urn:x:y',
    '[',
    '.',
  ),
  fc.integer({ min: 1, max: 600 }).map((n) => `${'emails['.repeat(n)}type eq "w"${']'.repeat(n)}`),
);

const anyJson = fc.jsonValue({ maxDepth: 5 });

const scimUser = fc.record(
  {
    schemas: fc.oneof(fc.constant(['urn:ietf:params:scim:schemas:core:2.0:User']), anyJson),
    userName: fc.oneof(weirdString, anyJson),
    externalId: weirdString,
    name: fc.record(
      { givenName: weirdString, familyName: fc.oneof(weirdString, anyJson) },
      { requiredKeys: [] },
    ),
    emails: fc.array(fc.record({ value: weirdString, type: weirdString, primary: anyJson }), {
      maxLength: 3,
    }),
    active: anyJson,
    password: weirdString,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': fc.record({ manager: anyJson }),
  },
  { requiredKeys: ['schemas'] },
);

const patchOp = fc.record(
  {
    schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']),
    Operations: fc.array(
      fc.record(
        {
          op: fc.oneof(fc.constantFrom('add', 'Replace', 'remove'), weirdString),
          path: weirdPatchPath,
          value: anyJson,
        },
        { requiredKeys: ['op'] },
      ),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: ['schemas'] },
);

const searchRequest = fc.record({
  schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:SearchRequest']),
  filter: weirdFilter,
  startIndex: anyJson,
  count: anyJson,
  attributes: fc.array(weirdString, { maxLength: 3 }),
});

const body: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<BodySpec>({ kind: 'none' }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      opener: fc.constantFrom('[' as const, '{"a":' as const, '[{"a":' as const),
      depth: fc.oneof(fc.integer({ min: 20, max: 64 }), fc.integer({ min: 1000, max: 300_000 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge-string' as const),
      field: fc.constantFrom('userName', 'displayName', 'name', 'filter', 'email', 'firstname', 'x'),
      char: fc.constantFrom('a', '\u00e9', '\u4e2d', '\u0000', '\\', '"'),
      length: fc.integer({ min: 60_000, max: 1_200_000 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc
      .oneof(scimUser, patchOp, searchRequest, anyJson, fc.dictionary(weirdString, anyJson, { maxKeys: 4 }))
      .map((value): BodySpec => ({ kind: 'json', value })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        anyJson.chain((v) => {
          const text = JSON.stringify(v);
          return fc.integer({ min: 0, max: text.length }).map((cut) => text.slice(0, cut));
        }),
        fc.constantFrom(
          '{"userName":"a\u0000b"}',
          '\u0000\u0000',
          '\uFEFF{}',
          '{"a":1}garbage',
          'null',
          '"\\ud800"',
        ),
      )
      .map((text): BodySpec => ({ kind: 'raw', text })),
  },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/scim+json',
  'application/scim+json',
  null,
  'text/plain',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'application/x-www-form-urlencoded',
);

const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');

const auth = fc.constantFrom<HostileRequest['auth']>(...Array<'valid'>(8).fill('valid'), 'none', 'wrong');

/** A query string: the operation's own names (or SCIM's) with hostile values, or raw bad encoding. */
function query(names: string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    weirdString.map(percentEncode),
    weirdFilter.map(percentEncode),
    badSegment,
    fc.constantFrom('-1', '0', '1e9', 'NaN', '[]'),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.tuple(fc.constantFrom(...names, 'x'), value), { minLength: 1, maxLength: 3 })
        .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
    },
    { weight: 1, arbitrary: badSegment.map((s) => `?${s}`) },
  );
}

/** `{param}` filled with the real id (never for a delete: the run keeps its fixtures) or a bad segment. */
function fillPath(template: string, method: string, ids: Record<string, string>): fc.Arbitrary<string> {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => name as string);
  if (names.length === 0) return fc.constant(template);
  return fc
    .tuple(
      ...names.map((name, i) => {
        const destroysFixture = method === 'delete' && i === names.length - 1;
        const real = ids[name];
        return real && !destroysFixture
          ? fc.oneof(
              { weight: 3, arbitrary: fc.constant(percentEncode(real)) },
              { weight: 2, arbitrary: badSegment },
            )
          : badSegment;
      }),
    )
    .map((values) => {
      let i = 0;
      return template.replace(/\{\w+\}/g, () => values[i++] as string);
    });
}

function fromOperation(
  listener: Listener,
  prefix: string,
  op: { method: string; path: string; queryNames: string[] },
  ids: Record<string, string>,
): fc.Arbitrary<HostileRequest> {
  return fc.record({
    listener: fc.constant(listener),
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant(op.method.toUpperCase()) },
      { weight: 1, arbitrary: anyMethod },
    ),
    path: fc
      .tuple(
        fillPath(op.path, op.method, ids),
        query(op.queryNames),
        fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: badSegment }),
      )
      .map(([path, q, extra]) => `${prefix}${path}${extra === null ? '' : `/${extra}`}${q}`),
    auth,
    contentType,
    body,
  });
}

/** Paths no route declares, with bad encoding where a router decodes. */
const strayPath = fc
  .tuple(
    fc.constantFrom(
      '',
      '/api',
      '/api/users',
      '/target-api',
      '/target-api/orgs',
      '/scim/v2',
      '/admin/queues',
      '/assets',
    ),
    badSegment,
  )
  .map(([base, segment]) => `${base}/${segment}`);

/** Every hostile request a run may send: /api (every OpenAPI operation), /target-api on both ports, SCIM, stray paths. */
export function hostileRequests(world: FuzzWorld): fc.Arbitrary<HostileRequest> {
  const toOp = (op: Operation) => ({
    method: op.method,
    path: op.path,
    queryNames: op.queryParams.map((p) => p.name),
  });
  const scimNames = ['filter', 'startIndex', 'count', 'attributes', 'excludedAttributes'];
  const scimPrefix = fc
    .oneof(
      { weight: 5, arbitrary: fc.constant(world.ids.orgId as string) },
      { weight: 1, arbitrary: badSegment },
    )
    .map((org) => `/scim/v2/${org}`);
  const scim = fc
    .constantFrom(...SCIM_OPERATIONS)
    .chain(([method, path]) =>
      scimPrefix.chain((prefix) =>
        fromOperation('target', prefix, { method, path, queryNames: scimNames }, world.ids),
      ),
    );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...world.apiOperations)
        .chain((op) => fromOperation('api', '', toOp(op), world.ids)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...world.targetApiOperations), fc.constantFrom<Listener>('api', 'target'))
        .chain(([op, listener]) => fromOperation(listener, '', toOp(op), world.ids)),
    },
    { weight: 5, arbitrary: scim },
    {
      weight: 1,
      arbitrary: fc.record({
        listener: fc.constantFrom<Listener>('api', 'target'),
        method: anyMethod,
        path: strayPath,
        auth,
        contentType,
        body,
      }),
    },
  );
}

const CLOSER: Record<string, string> = { '[': ']', '{"a":': '}', '[{"a":': '}]' };

/** The bytes of a body description. */
export function bodyText(spec: BodySpec): string | undefined {
  switch (spec.kind) {
    case 'none':
      return undefined;
    case 'deep':
      return `${spec.opener.repeat(spec.depth)}1${(CLOSER[spec.opener] as string).repeat(spec.depth)}`;
    case 'huge-string':
      return JSON.stringify({ [spec.field]: spec.char.repeat(spec.length) });
    case 'json':
      return JSON.stringify(spec.value);
    case 'raw':
      return spec.text;
  }
}

/** A short description of a request for a failure message (bodies summarised, not dumped). */
export function describeRequest(request: HostileRequest): string {
  const text = bodyText(request.body);
  const body =
    request.body.kind === 'deep'
      ? `deep ${request.body.opener} x${request.body.depth}`
      : request.body.kind === 'huge-string'
        ? `{${request.body.field}: ${JSON.stringify(request.body.char)} x${request.body.length}}`
        : (text?.slice(0, 200) ?? 'no body');
  return `${request.listener} ${request.method} ${request.path.slice(0, 200)} auth=${request.auth} type=${request.contentType} body=${body}`;
}
