import { JSON_LIMITS, TOO_DEEP } from '../json/json-bounds.ts';

const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of `secret` in the strings of `value` (deeply), before anything a target
 * answered is stored or shown: a careless target may echo the bearer token back in its errors.
 * Parts without the secret come back as they are (copied only where something was replaced): every push
 * runs each exchange through here, and the secret is almost never there.
 */
export function redactSecret<T>(value: T, secret: string | null | undefined): T {
  return secret ? (redact(value, secret) as T) : value;
}

/** Past JSON_LIMITS.maxDepth (a target may answer with anything) the rest is dropped, secret or not. */
function redact(value: unknown, secret: string, depth = 0): unknown {
  if (typeof value === 'string') return value.includes(secret) ? value.split(secret).join(REDACTED) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= JSON_LIMITS.maxDepth) return TOO_DEEP;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const clean = redact(item, secret, depth + 1);
      if (clean === item) return;
      copy ??= [...value];
      copy[i] = clean;
    });
    return copy ?? value;
  }
  let changed = false;
  const entries = Object.entries(value).map(([key, inner]) => {
    const entry = [redact(key, secret, depth + 1), redact(inner, secret, depth + 1)];
    changed ||= entry[0] !== key || entry[1] !== inner;
    return entry;
  });
  return changed ? Object.fromEntries(entries) : value;
}
