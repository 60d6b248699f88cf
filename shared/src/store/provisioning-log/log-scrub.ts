import { jsonText } from '../../json/json-text.ts';
import { type JsonRewrite, rewriteJson } from '../../json/rewrite-json.ts';
import type { LoggedRequest, LoggedResponse } from '../../types/log-types.ts';

export const REDACTED = '[redacted]';

/** Longest message kept; a longer one (say, a quoted HTML error page) is cut. */
export const MESSAGE_MAX_CHARS = 2000;
/** Largest body kept whole (as JSON); a bigger one becomes a preview, so one answer cannot bloat the log. */
export const BODY_MAX_CHARS = 16_384;
const BODY_PREVIEW_CHARS = 1024;

export const capMessage = (message: string): string =>
  message.length > MESSAGE_MAX_CHARS ? `${message.slice(0, MESSAGE_MAX_CHARS - 1)}…` : message;

/** A request body's JSON is the one it was sent as (see jsonText). */
function capBody(body: unknown): unknown {
  const json = jsonText(body) ?? '';
  if (json.length <= BODY_MAX_CHARS) return body;
  return { truncated: true, chars: json.length, preview: json.slice(0, BODY_PREVIEW_CHARS) };
}

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

/** Answers of `isSecretKey` so far: a push's bodies repeat the same few dozen keys. */
const secretKeyAnswers = new Map<string, boolean>();
/** Beyond this many keys (a target answering with ever new ones) the answers start over. */
const SECRET_KEY_ANSWERS_MAX = 10_000;

function isSecretKey(key: string): boolean {
  let secret = secretKeyAnswers.get(key);
  if (secret === undefined) {
    secret = SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
    if (secretKeyAnswers.size >= SECRET_KEY_ANSWERS_MAX) secretKeyAnswers.clear();
    secretKeyAnswers.set(key, secret);
  }
  return secret;
}

/** `Bearer <token>` inside free text, e.g. a target's error detail that echoes the request. */
const BEARER_IN_TEXT = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;

export const scrubText = (text: string): string => text.replace(BEARER_IN_TEXT, `Bearer ${REDACTED}`);

const SCRUB: JsonRewrite = { text: scrubText, under: (key) => (isSecretKey(key) ? REDACTED : undefined) };

/**
 * `value` with the value of every secret-looking key replaced by "[redacted]" and every bearer token in
 * its strings too (deeply, see rewriteJson).
 */
export const scrubSecrets = (value: unknown): unknown => rewriteJson(value, SCRUB);

/**
 * Whether a query may name a secret parameter: a name with no escape (`%`, `+`) is checked as it is, any
 * other query is left to URLSearchParams (the values, where the escapes usually are, are not read).
 */
function mayHoldSecretName(query: string): boolean {
  if (query.startsWith('?')) return true;
  return query.split('&').some((param) => {
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    return name.includes('%') || name.includes('+') || isSecretKey(name);
  });
}

/** Query parameters such as `?access_token=` keep their name, lose their value. */
function scrubUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0 || !mayHoldSecretName(url.slice(queryAt + 1))) return url;
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

/** Keeps only method, url and body (never headers), with secrets scrubbed and an oversized body cut. */
export function scrubRequest(request: LoggedRequest): LoggedRequest {
  const out: LoggedRequest = { method: request.method, url: scrubUrl(request.url) };
  if (request.body !== undefined) out.body = capBody(scrubSecrets(request.body));
  return out;
}

/** Keeps only status and body (never headers), with secrets scrubbed and an oversized body cut. */
export function scrubResponse(response: LoggedResponse): LoggedResponse {
  const out: LoggedResponse = { status: response.status };
  if (response.body !== undefined) out.body = capBody(scrubSecrets(response.body));
  return out;
}
