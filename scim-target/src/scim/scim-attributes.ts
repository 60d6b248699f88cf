import { ENTERPRISE_SCHEMA, type ScimResourceJson } from './scim-schemas.ts';

const ALWAYS_RETURNED = ['id', 'schemas'];

/**
 * Splits `attributes`/`excludedAttributes` into [top-level, sub-attribute?] pairs. A value filter such as
 * `emails[type eq "work"]` (which Microsoft's tests send) is read as its attribute, `emails`.
 */
function parseList(list: string): [string, string | undefined][] {
  return list
    .split(',')
    .map((item) => item.trim().replace(/\[.*\]/, ''))
    .filter(Boolean)
    .map((item) => {
      if (item.toLowerCase() === ENTERPRISE_SCHEMA.toLowerCase()) return [item.toLowerCase(), undefined];
      const colon = item.lastIndexOf(':');
      const urn = colon === -1 ? '' : item.slice(0, colon);
      const [top = '', sub] = item.slice(colon + 1).split('.');
      if (urn && !/:core:2\.0:(user|group)$/i.test(urn)) return [urn.toLowerCase(), top.toLowerCase()];
      return [top.toLowerCase(), sub?.toLowerCase()];
    });
}

function pickSub(value: unknown, subs: string[]): unknown {
  const pick = (item: unknown) =>
    typeof item === 'object' && item !== null
      ? Object.fromEntries(Object.entries(item).filter(([k]) => subs.includes(k.toLowerCase())))
      : item;
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

function dropSub(value: unknown, subs: string[]): unknown {
  const drop = (item: unknown) =>
    typeof item === 'object' && item !== null
      ? Object.fromEntries(Object.entries(item).filter(([k]) => !subs.includes(k.toLowerCase())))
      : item;
  return Array.isArray(value) ? value.map(drop) : drop(value);
}

/** RFC 7644 §3.9: return only `attributes` (plus id and schemas), or everything but `excludedAttributes`. */
export function project(
  resource: ScimResourceJson,
  attributes?: string,
  excludedAttributes?: string,
): ScimResourceJson {
  if (attributes?.trim()) {
    const wanted = parseList(attributes);
    const out: ScimResourceJson = {};
    for (const [key, value] of Object.entries(resource)) {
      const lower = key.toLowerCase();
      if (ALWAYS_RETURNED.includes(lower)) out[key] = value;
      const requested = wanted.filter(([top]) => top === lower);
      if (requested.length === 0) continue;
      const subs = requested.map(([, sub]) => sub);
      out[key] = subs.includes(undefined) ? value : pickSub(value, subs as string[]);
    }
    return out;
  }
  if (excludedAttributes?.trim()) {
    const excluded = parseList(excludedAttributes);
    const out: ScimResourceJson = {};
    for (const [key, value] of Object.entries(resource)) {
      const lower = key.toLowerCase();
      const hits = excluded.filter(([top]) => top === lower);
      if (ALWAYS_RETURNED.includes(lower) || hits.length === 0) out[key] = value;
      else if (!hits.some(([, sub]) => sub === undefined))
        out[key] = dropSub(value, hits.map(([, s]) => s) as string[]);
    }
    return out;
  }
  return resource;
}
