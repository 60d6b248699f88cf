import { JSON_LIMITS, TOO_DEEP } from './json-bounds.ts';

/** What `rewriteJson` changes: every string, the keys too when asked, and the whole value under some keys. */
export interface JsonRewrite {
  /** A string as it is to be kept. */
  text(value: string): string;
  /** Keys are rewritten by `text` too. */
  keys?: boolean;
  /** What replaces the whole value under `key`; undefined to rewrite that value as any other. */
  under?(key: string): unknown;
}

/**
 * `value` rewritten as `rewrite` says, at any depth up to JSON_LIMITS.maxDepth (a target may answer with
 * anything; what is deeper is dropped). Parts where nothing changes come back as they are, copied only
 * where something did: every push runs its exchanges through here, and they almost never change.
 */
export function rewriteJson(value: unknown, rewrite: JsonRewrite, depth = 0): unknown {
  if (typeof value === 'string') return rewrite.text(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= JSON_LIMITS.maxDepth) return TOO_DEEP;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = rewriteJson(item, rewrite, depth + 1);
      if (clean === item) continue;
      copy ??= [...value];
      copy[i] = clean;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const inner = record[key];
    const cleanKey = rewrite.keys ? rewrite.text(key) : key;
    const replaced = rewrite.under?.(key);
    const clean = replaced === undefined ? rewriteJson(inner, rewrite, depth + 1) : replaced;
    if (copy === undefined) {
      if (cleanKey === key && clean === inner) continue;
      copy = entriesBefore(record, key);
    }
    copy[cleanKey] = clean;
  }
  return copy ?? value;
}

/** The record's own entries before `key`, in their order. */
function entriesBefore(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const before: Record<string, unknown> = {};
  for (const k in record) {
    if (k === key) break;
    if (Object.hasOwn(record, k)) before[k] = record[k];
  }
  return before;
}
