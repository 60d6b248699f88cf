import { type JsonRewrite, rewriteJson } from '../json/rewrite-json.ts';

const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of `secret` in the strings and keys of `value` (deeply, see rewriteJson),
 * before anything a target answered is stored or shown: a careless target may echo the bearer token back
 * in its errors.
 */
export function redactSecret<T>(value: T, secret: string | null | undefined): T {
  if (!secret) return value;
  return rewriteJson(value, new SecretRedaction(secret)) as T;
}

/** The rewrite as an object, not a closure: a push redacts each of its exchanges. */
class SecretRedaction implements JsonRewrite {
  readonly keys = true;

  constructor(private readonly secret: string) {}

  text(value: string): string {
    return value.includes(this.secret) ? value.split(this.secret).join(REDACTED) : value;
  }
}
