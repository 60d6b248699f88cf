import { type Filter, parse } from 'scim2-parse-filter';
import { JSON_LIMITS } from '../../../shared/src/json/json-bounds.ts';
import { scimBadRequest } from './scim-error.ts';
import { findAttribute, type ResourceKind } from './scim-schemas.ts';

const COMPARE_OPERATORS = /^(eq|ne|co|sw|ew|gt|lt|ge|le)$/i;
const KEYWORD = /^(true|false|null)$/i;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Microsoft's tests write comparison values without quotes (`name.familyName eq Employee`,
 * `meta.created gt 2015-10-10T14:38:21-07:00`). RFC 7644 requires JSON values; we accept a bare
 * word after a comparison operator as the string it plainly means (true/false/null in any case as
 * those literals), and leave quoted text untouched.
 */
export function quoteBareValues(expression: string): string {
  const tokens = tokenize(expression);
  let previousWord = '';
  return tokens
    .map((token) => {
      const isValue = COMPARE_OPERATORS.test(previousWord) && !/^[\s"()[\]]/.test(token);
      if (!/^\s+$/.test(token)) previousWord = token;
      if (!isValue || NUMBER.test(token)) return token;
      return KEYWORD.test(token) ? token.toLowerCase() : JSON.stringify(token);
    })
    .join('');
}

const tokenize = (expression: string): string[] =>
  expression.match(/"(?:[^"\\]|\\.)*"|[()[\]]|[^\s()[\]"]+|\s+/g) ?? [];

/**
 * `emails[type eq "work"].value co "x"` must test `value` of the same email that is of type work;
 * scim2-parse-filter would read it as two independent conditions, so we rewrite it to the
 * equivalent `emails[(type eq "work") and value co "x"]` first.
 */
export function inlineValuePathSubAttributes(expression: string): string {
  for (let rewritten = rewriteFirstValuePathSubAttribute(expression); rewritten !== undefined; ) {
    expression = rewritten;
    rewritten = rewriteFirstValuePathSubAttribute(expression);
  }
  return expression;
}

function rewriteFirstValuePathSubAttribute(expression: string): string | undefined {
  const tokens = tokenize(expression);
  for (let close = tokens.indexOf(']'); close !== -1; close = tokens.indexOf(']', close + 1)) {
    const sub = tokens[close + 1];
    if (!sub?.startsWith('.')) continue;
    const rest = tokens.slice(close + 2);
    const wordAt = rest.flatMap((t, i) => (/^\s+$/.test(t) ? [] : [i]));
    const operator = rest[wordAt[0] ?? -1] ?? '';
    const isPresence = /^pr$/i.test(operator);
    const last = isPresence ? wordAt[0] : wordAt[1];
    if ((!isPresence && !COMPARE_OPERATORS.test(operator)) || last === undefined) continue;
    let open = close - 1;
    for (let depth = 0; open >= 0; open--) {
      if (tokens[open] === ']') depth++;
      else if (tokens[open] === '[' && depth-- === 0) break;
    }
    if (open < 0) continue;
    const condition = [sub.slice(1), ' ', ...rest.slice(wordAt[0], last + 1)].join('');
    const inner = tokens.slice(open + 1, close).join('');
    return [...tokens.slice(0, open), `[(${inner}) and ${condition}]`, ...rest.slice(last + 1)].join('');
  }
  return undefined;
}

/** Deepest nesting of brackets and parentheses outside quoted strings (`not` always takes parentheses). */
function nestingDepth(expression: string): number {
  let depth = 0;
  let deepest = 0;
  for (const token of tokenize(expression)) {
    if (token === '(' || token === '[') deepest = Math.max(deepest, ++depth);
    else if (token === ')' || token === ']') depth--;
  }
  return deepest;
}

/** The parser and `matches` recurse once per level, so the nesting is bounded before either runs. */
export const MAX_FILTER_DEPTH = JSON_LIMITS.maxDepth;

export function parseFilter(expression: string): Filter {
  if (nestingDepth(expression) > MAX_FILTER_DEPTH)
    throw scimBadRequest(
      'invalidFilter',
      `The filter nests parentheses or brackets deeper than ${MAX_FILTER_DEPTH} levels.`,
    );
  try {
    return parse(inlineValuePathSubAttributes(quoteBareValues(expression)));
  } catch (err) {
    throw scimBadRequest(
      'invalidFilter',
      `The filter "${expression}" is not valid: ${(err as Error).message}`,
    );
  }
}

type Value = unknown;

function valuesAt(resource: unknown, path: string[]): Value[] {
  if (path.length === 0) return Array.isArray(resource) ? resource : [resource];
  if (Array.isArray(resource)) return resource.flatMap((item) => valuesAt(item, path));
  if (typeof resource !== 'object' || resource === null) return [];
  const [head, ...rest] = path as [string, ...string[]];
  const key = Object.keys(resource).find((k) => k.toLowerCase() === head.toLowerCase());
  return key === undefined ? [] : valuesAt((resource as Record<string, unknown>)[key], rest);
}

/** `urn:…:User:department` → [urn, department]; `name.givenName` → [name, givenName]. */
function splitPath(attrPath: string): string[] {
  const colon = attrPath.lastIndexOf(':');
  if (colon === -1) return attrPath.split('.');
  const urn = attrPath.slice(0, colon);
  const rest = attrPath.slice(colon + 1).split('.');
  return /^urn:ietf:params:scim:schemas:core:2\.0:(user|group)$/i.test(urn) ? rest : [urn, ...rest];
}

const schemaPath = ([head, ...rest]: string[]): string =>
  head?.startsWith('urn:') ? `${head}:${rest.join('.')}` : [head, ...rest].join('.');

interface Comparison {
  caseExact: boolean;
  dateTime: boolean;
}

function compare(op: string, actual: Value, expected: Value, how: Comparison): boolean {
  if (expected === null || actual === null || actual === undefined)
    return op === 'ne' ? actual !== expected : false;
  if (how.dateTime && typeof actual === 'string' && typeof expected === 'string') {
    const a = Date.parse(actual);
    const b = Date.parse(expected);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return ordered(op, a, b);
  }
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = how.caseExact ? actual : actual.toLowerCase();
    const b = how.caseExact ? expected : expected.toLowerCase();
    if (op === 'co') return a.includes(b);
    if (op === 'sw') return a.startsWith(b);
    if (op === 'ew') return a.endsWith(b);
    return ordered(op, a, b);
  }
  if (typeof actual === typeof expected) return ordered(op, actual as number, expected as number);
  return op === 'ne';
}

function ordered<T extends string | number | boolean>(op: string, a: T, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

/** Evaluates a parsed filter against a resource, honouring each attribute's caseExact and dateTime type. */
export function matches(
  kind: ResourceKind,
  filter: Filter,
  resource: unknown,
  prefix: string[] = [],
): boolean {
  switch (filter.op) {
    case 'and':
      return filter.filters.every((f) => matches(kind, f, resource, prefix));
    case 'or':
      return filter.filters.some((f) => matches(kind, f, resource, prefix));
    case 'not':
      return !matches(kind, filter.filter, resource, prefix);
    case '[]': {
      const path = splitPath(filter.attrPath);
      return valuesAt(resource, path).some((item) =>
        matches(kind, filter.valFilter, item, [...prefix, ...path]),
      );
    }
    case 'pr': {
      const values = valuesAt(resource, splitPath(filter.attrPath));
      return values.some(
        (v) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
      );
    }
    default: {
      const path = splitPath(filter.attrPath);
      const attribute = findAttribute(kind, schemaPath([...prefix, ...path]));
      const how = {
        caseExact: attribute?.config.caseExact === true,
        dateTime: attribute?.type === 'dateTime',
      };
      const values = valuesAt(resource, path);
      const op = filter.op.toLowerCase();
      if (op === 'ne') return values.every((v) => compare('ne', v, filter.compValue, how));
      return values.some((v) => compare(op, v, filter.compValue, how));
    }
  }
}

/** The userName a filter of the form `userName eq "…"` looks up (the lookup every IdP does before a create). */
export function userNameLookup(filter: Filter): string | undefined {
  if (filter.op !== 'eq' || typeof filter.compValue !== 'string') return undefined;
  const path = splitPath(filter.attrPath);
  return path.length === 1 && path[0]?.toLowerCase() === 'username' ? filter.compValue : undefined;
}
