import type { LoggedRequest, LoggedResponse } from './log-types.ts';

export const REDACTED = '[redacted]';

/** Key names whose values are secrets wherever they appear (compared without case, `-` and `_`). */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'bearertoken',
  'scimbearertoken',
  'password',
  'secret',
  'clientsecret',
  'apikey',
  'cookie',
  'setcookie',
]);

const isSecretKey = (key: string) => SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));

/** `Bearer <token>` inside free text, e.g. a target's error detail that echoes the request. */
const BEARER_IN_TEXT = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;

export const scrubText = (text: string): string => text.replace(BEARER_IN_TEXT, `Bearer ${REDACTED}`);

/** A copy of `value` with the value of every secret-looking key replaced by "[redacted]", at any depth. */
export function scrubSecrets(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value))
    out[key] = isSecretKey(key) ? REDACTED : scrubSecrets(inner);
  return out;
}

/** Query parameters such as `?access_token=` keep their name, lose their value. */
function scrubUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const params = new URLSearchParams(url.slice(queryAt + 1));
  let changed = false;
  for (const key of new Set(params.keys())) {
    if (isSecretKey(key)) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, queryAt)}?${params.toString()}` : url;
}

/** Keeps only method, url and body (never headers), with secrets scrubbed. */
export function scrubRequest(request: LoggedRequest): LoggedRequest {
  const out: LoggedRequest = { method: request.method, url: scrubUrl(request.url) };
  if (request.body !== undefined) out.body = scrubSecrets(request.body);
  return out;
}

/** Keeps only status and body (never headers), with secrets scrubbed. */
export function scrubResponse(response: LoggedResponse): LoggedResponse {
  const out: LoggedResponse = { status: response.status };
  if (response.body !== undefined) out.body = scrubSecrets(response.body);
  return out;
}
