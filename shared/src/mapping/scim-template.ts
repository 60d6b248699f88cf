import {
  getNodePath,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { badRequest } from '../errors/app-error.ts';
import { USER_MACROS, type UserMacro } from './scim-template-macros.ts';

/**
 * OneLogin's SCIM JSON Template (the SCIM Provisioner app): a JSON user resource whose string values
 * carry macros such as `{$user.firstname}`, `{$user.custom_fields.cost_center}` or
 * `{$parameters.scimusername}`. Parsed and checked once per text, rendered per user.
 */

export interface MacroValues {
  user: Record<UserMacro, string | null>;
  customFields: Record<string, string>;
  /** By short name: `scimusername` and each custom parameter's. */
  parameters: Record<string, string | null>;
}

const TEMPLATE_FIELD = 'scimJsonTemplate';
const MAX_TEMPLATE_LENGTH = 20_000;

/** OneLogin's short name of a parameter: lower case, runs of other characters as one underscore. */
export const parameterShortName = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

const MACRO = /\{\$([A-Za-z0-9_.-]+)\}/g;
const CUSTOM_FIELD = /^user\.custom_fields\.([A-Za-z0-9_.-]+)$/;

type Compiled = Record<string, unknown>;

export interface TemplatePlace {
  line: number;
  column: number;
  /** JSON path of the value, e.g. `$.name.givenName` or `$.emails[0].value`. */
  path: string;
}

const jsonPath = (segments: (string | number)[]): string =>
  segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)
      ? `${path}.${segment}`
      : `${path}[${JSON.stringify(segment)}]`;
  }, '$');

function placeAt(text: string, offset: number, path: string): TemplatePlace {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n'), path };
}

type Refuse = (offset: number, path: string, problem: string) => Error;

/** A 400 on `field` (`body.scimJsonTemplate` for a template just sent) naming the line, column and path. */
const refuser =
  (text: string, field: string): Refuse =>
  (offset, path, problem) => {
    const place = placeAt(text, offset, path);
    return badRequest(field, `${problem} at line ${place.line}, column ${place.column} (${path})`, place);
  };

function isKnownMacro(name: string, parameterNames: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('user.')) {
    return (USER_MACROS as readonly string[]).includes(lower.slice(5)) || CUSTOM_FIELD.test(name);
  }
  if (lower.startsWith('parameters.')) return parameterNames.has(lower.slice('parameters.'.length));
  return false;
}

function checkStrings(refuse: Refuse, node: Node, parameterNames: ReadonlySet<string>): void {
  if (node.type === 'string') {
    const raw = String(node.value);
    const path = jsonPath(getNodePath(node));
    // The macro's offset in the source: the string's opening quote, then the escaped text before it.
    const offsetOf = (index: number) => node.offset + 1 + JSON.stringify(raw.slice(0, index)).length - 2;
    for (const match of raw.matchAll(MACRO)) {
      const name = match[1] ?? '';
      if (!isKnownMacro(name, parameterNames))
        throw refuse(offsetOf(match.index), path, `unknown macro ${match[0]}`);
    }
    const stray = raw.replace(MACRO, (m) => ' '.repeat(m.length)).indexOf('{$');
    if (stray !== -1) throw refuse(offsetOf(stray), path, 'a macro is not closed with "}"');
    return;
  }
  for (const child of node.children ?? []) {
    if (node.type === 'property' && child === node.children?.[0]) {
      if (String(child.value).includes('{$'))
        throw refuse(child.offset, jsonPath(getNodePath(child)), 'macros go in values, not names');
      continue;
    }
    checkStrings(refuse, child, parameterNames);
  }
}

function compile(text: string, parameterNames: ReadonlySet<string>, field: string): Compiled {
  const refuse = refuser(text, field);
  if (text.length > MAX_TEMPLATE_LENGTH)
    throw badRequest(field, `is longer than ${MAX_TEMPLATE_LENGTH} characters`);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first) throw refuse(first.offset, '$', `invalid JSON: ${printParseErrorCode(first.error)}`);
  if (root?.type !== 'object') throw refuse(root?.offset ?? 0, '$', 'the template must be a JSON object');
  checkStrings(refuse, root, parameterNames);
  const value = getNodeValue(root) as Compiled;
  const userName = Object.keys(value).find((key) => key.toLowerCase() === 'username');
  if (!userName)
    throw refuse(root.offset, '$.userName', 'the template drops userName, which every user needs');
  if (typeof value[userName] !== 'string' || String(value[userName]).trim() === '')
    throw refuse(
      root.offset,
      `$.${userName}`,
      'userName must be a non-empty string, e.g. "{$parameters.scimusername}"',
    );
  return value;
}

const cache = new Map<string, Compiled>();
const CACHE_SIZE = 64;

/**
 * Checks a template against the app's custom parameter names (short names are what `{$parameters.x}`
 * names) and returns it parsed; a problem is a 400 on `scimJsonTemplate` with its line, column and
 * JSON path in `details`.
 */
export function compileScimTemplate(
  text: string,
  parameterNames: string[],
  field: string = TEMPLATE_FIELD,
): Compiled {
  const names = new Set(['scimusername', ...parameterNames.map(parameterShortName)]);
  const key = `${[...names].sort().join(',')}\n${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compile(text, names, field);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

function macroValue(name: string, values: MacroValues): string | null {
  const custom = CUSTOM_FIELD.exec(name);
  if (custom?.[1]) return values.customFields[custom[1]] ?? null;
  const lower = name.toLowerCase();
  if (lower.startsWith('user.')) return values.user[lower.slice(5) as UserMacro] ?? null;
  return values.parameters[lower.slice('parameters.'.length)] ?? null;
}

const OMIT = Symbol('omit');

function renderValue(value: unknown, values: MacroValues): unknown {
  if (typeof value === 'string') {
    const sole = /^\{\$([A-Za-z0-9_.-]+)\}$/.exec(value);
    // A value that is one macro with nothing behind it is left out rather than sent empty.
    if (sole?.[1]) return macroValue(sole[1], values) || OMIT;
    return value.replace(MACRO, (_m, name: string) => macroValue(name, values) ?? '');
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => renderValue(item, values)).filter((item) => item !== OMIT);
    return items.length > 0 || value.length === 0 ? items : OMIT;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, renderValue(item, values)] as const)
      .filter(([, item]) => item !== OMIT);
    return entries.length > 0 || Object.keys(value).length === 0 ? Object.fromEntries(entries) : OMIT;
  }
  return value;
}

/** The template with every macro replaced; attributes whose only macro has no value are left out. */
export function renderScimTemplate(compiled: Compiled, values: MacroValues): Record<string, unknown> {
  const rendered = renderValue(compiled, values);
  return rendered === OMIT ? {} : (rendered as Record<string, unknown>);
}
