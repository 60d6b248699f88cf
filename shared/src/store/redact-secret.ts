import { rewriteJson } from '../json/rewrite-json.ts';

const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of `secret` in the strings and keys of `value` (deeply, see rewriteJson),
 * before anything a target answered is stored or shown: a careless target may echo the bearer token back
 * in its errors.
 */
export function redactSecret<T>(value: T, secret: string | null | undefined): T {
  if (!secret) return value;
  const text = (s: string) => (s.includes(secret) ? s.split(secret).join(REDACTED) : s);
  return rewriteJson(value, { text, keys: true }) as T;
}
