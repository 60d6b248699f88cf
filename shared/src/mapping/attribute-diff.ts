import { deepEqual } from './deep-equal.ts';
import type { ScimUser } from './scim-user.ts';

/** One attribute the target holds differently from what the mapping says it should. */
export interface AttributeDiff {
  /** `displayName`, `name.givenName`, `urn:…:User:department`, `emails`. */
  path: string;
  expected: unknown;
  /** null when the target does not hold the attribute at all. */
  actual: unknown;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
const lookup = (holder: Json, key: string): unknown => {
  if (key in holder) return holder[key];
  const found = Object.keys(holder).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : holder[found];
};

/** `actual` cut down to the attributes `desired` sets, so what the target adds of its own is not drift. */
function shapedLike(desired: unknown, actual: unknown): unknown {
  if (isObject(desired)) {
    if (!isObject(actual)) return actual;
    const out: Json = {};
    for (const key of Object.keys(desired)) {
      const value = lookup(actual, key);
      if (value !== undefined) out[key] = shapedLike(desired[key], value);
    }
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(actual) && desired.every(isObject)) {
    const keys = [...new Set(desired.flatMap((item) => Object.keys(item as Json)))];
    return actual.map((item) =>
      isObject(item)
        ? Object.fromEntries(
            keys.flatMap((k) => (lookup(item, k) === undefined ? [] : [[k, lookup(item, k)]])),
          )
        : item,
    );
  }
  return actual;
}

/**
 * What the target holds of the attributes the mapping sets (`schemas` as the mapping has it): the
 * import records it as the pushed state, so a reconcile diffs from it.
 */
export function observedResource(desired: ScimUser, actual: Json): ScimUser {
  const shaped = shapedLike(desired, actual) as Json;
  return { ...shaped, schemas: desired.schemas } as ScimUser;
}

/** Per-attribute differences between the mapping's resource and what the target holds (`schemas` aside). */
export function attributeDiffs(desired: ScimUser, observed: ScimUser): AttributeDiff[] {
  const diffs: AttributeDiff[] = [];
  const walk = (want: Json, have: Json | undefined, prefix: string, separator: string) => {
    for (const [key, expected] of Object.entries(want)) {
      if (!prefix && key === 'schemas') continue;
      const path = prefix ? `${prefix}${separator}${key}` : key;
      const actual = have === undefined ? undefined : lookup(have, key);
      if (isObject(expected)) {
        walk(expected, isObject(actual) ? actual : undefined, path, key.startsWith('urn:') ? ':' : '.');
        continue;
      }
      const same =
        !prefix && key === 'userName'
          ? String(actual ?? '').toLowerCase() === String(expected).toLowerCase()
          : deepEqual(expected, actual);
      if (!same) diffs.push({ path, expected, actual: actual ?? null });
    }
  };
  walk(desired, observed, '', '.');
  return diffs;
}
