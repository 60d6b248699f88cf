const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of `secret` in the strings of `value` (deeply), before anything a target
 * answered is stored or shown: a careless target may echo the bearer token back in its errors.
 */
export function redactSecret<T>(value: T, secret: string | null | undefined): T {
  if (!secret || value === undefined || value === null) return value;
  if (typeof value === 'string') return value.split(secret).join(REDACTED) as T;
  if (Array.isArray(value)) return value.map((item) => redactSecret(item, secret)) as T;
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redactSecret(k, secret), redactSecret(v, secret)]),
    ) as T;
  return value;
}
