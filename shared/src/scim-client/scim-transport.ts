import { jsonText } from '../json/json-text.ts';
import { type Answer, answerText } from './answer-text.ts';
import { MAX_ANSWER_BYTES } from './guarded-agents.ts';
import { PerPolicy } from './per-policy.ts';
import { parseRetryAfter } from './retry-after.ts';
import { ScimCallError, type ScimExchange, type ScimFailureKind } from './scim-call-error.ts';
import { scimHttp } from './scim-http.ts';
import { allowlistRefusal, hostOf, type TargetPolicy, TargetRefusedError } from './target-policy.ts';

/** Every method the client sends (a task's ScimMethod is the push's write, never a GET). */
export type ScimHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ScimRequest {
  method: ScimHttpMethod;
  path: string;
  body?: unknown;
  /** Statuses outside 2xx that count as success for this call (e.g. 404 on DELETE). */
  alsoSuccess?: readonly number[];
  /** Sent as If-Match: the call applies only if the resource is still at this version (ETag). */
  ifMatch?: string;
  /** Checks a successful answer's JSON; a returned sentence makes the call a permanent failure. */
  problemWith?: (body: unknown, status: number) => string | null;
}

export interface ScimResponse {
  status: number;
  body: unknown;
}

export interface ScimTransportTarget {
  baseUrl: string;
  bearerToken: string;
  timeoutMs: number;
  /** Where requests may go; checked on every request and every connection. */
  policy: TargetPolicy;
}

export type ExchangeListener = (exchange: ScimExchange) => void | Promise<void>;

const RAW_BODY_LIMIT = 2000;
/** undici sends no User-Agent, and some servers and firewalls turn away a request without one. */
const USER_AGENT = 'provisim';
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  ECONNABORTED: 'connection aborted',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  EPIPE: 'connection closed while sending',
  ENETUNREACH: 'network unreachable',
};
/** undici's codes, read as the network codes they stand for so that the failures read as they always did. */
const UNDICI_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
  // The target closed the connection without answering: what Node's own client calls a hang-up.
  UND_ERR_SOCKET: 'ECONNRESET',
};
const TOO_LARGE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (UNDICI_CODES[code] ?? code) : '';
};

type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: string; raw: string };

const clip = (raw: string) =>
  raw.length > RAW_BODY_LIMIT ? `${raw.slice(0, RAW_BODY_LIMIT)}… (truncated)` : raw;

function parseBody(raw: string, contentType: string): ParsedBody {
  if (raw.trim() === '') return { ok: true, value: undefined };
  if (/html/i.test(contentType) || raw.trimStart().startsWith('<')) {
    return {
      ok: false,
      problem: `an HTML page (Content-Type: ${contentType || 'none'}) instead of SCIM JSON`,
      raw,
    };
  }
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return {
      ok: false,
      problem: `JSON that does not parse, truncated or malformed (${(error as Error).message})`,
      raw,
    };
  }
}

/** What a SCIM error body (RFC 7644 §3.12) says, as "scimType: detail". */
function scimErrorText(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  const { scimType, detail } = body as { scimType?: unknown; detail?: unknown };
  const parts = [
    typeof scimType === 'string' ? scimType : '',
    typeof detail === 'string' ? detail : '',
  ].filter(Boolean);
  return parts.length > 0 ? `: ${parts.join(': ')}` : '';
}

/** Where a target's calls go: its origin, the path its SCIM endpoints start with, and the allowlist's say. */
interface Endpoint {
  origin: string;
  basePath: string;
  refusal: string | null;
}

/** Throws on a malformed base URL, so that each call fails on it as it is made. */
function endpointOf(baseUrl: string, policy: TargetPolicy): Endpoint {
  const url = new URL(baseUrl);
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    refusal: allowlistRefusal(hostOf(url), policy),
  };
}

/** Endpoints worked out so far, by policy and base URL: every push makes a client, of a few targets. */
const endpoints = new PerPolicy<string, Endpoint>();
/** Beyond this many base URLs under one policy the endpoints are worked out again from scratch. */
const ENDPOINTS_MAX = 10_000;

function knownEndpoint(baseUrl: string, policy: TargetPolicy): Endpoint {
  const ofPolicy = endpoints.of(policy);
  let endpoint = ofPolicy.get(baseUrl);
  if (!endpoint) {
    endpoint = endpointOf(baseUrl, policy);
    if (ofPolicy.size >= ENDPOINTS_MAX) ofPolicy.clear();
    ofPolicy.set(baseUrl, endpoint);
  }
  return endpoint;
}

function statusKind(status: number): ScimFailureKind {
  if (status === 401 || status === 403) return 'auth';
  // 408 is the target saying the request took too long to arrive: as transient as a 503.
  if (status >= 500 || status === 429 || status === 408) return 'retryable';
  return 'permanent';
}

/** Reports the failed call's exchange, with its error, and throws it. */
async function fail(
  onExchange: ExchangeListener | undefined,
  kind: ScimFailureKind,
  message: string,
  exchange: ScimExchange,
  status?: number,
  retryAfterMs?: number,
): Promise<never> {
  const withError = { ...exchange, error: message };
  await onExchange?.(withError);
  throw new ScimCallError(kind, message, withError, status, retryAfterMs);
}

/** Milliseconds since `started` (a performance.now() reading), rounded. */
const since = (started: number): number => Math.round(performance.now() - started);

/** Performs single SCIM calls, reports each through `onExchange` exactly once, and classifies failures. */
export function createScimTransport(target: ScimTransportTarget, onExchange?: ExchangeListener) {
  const baseUrl = target.baseUrl.replace(/\/+$/, '');
  const http = scimHttp(target.policy, target.timeoutMs);
  const authorization = `Bearer ${target.bearerToken}`;
  let endpoint: Endpoint | undefined;

  return async function send(request: ScimRequest): Promise<ScimResponse> {
    const url = `${baseUrl}${request.path}`;
    const call = `${request.method} ${request.path}`;
    const exchangeRequest = {
      method: request.method,
      url,
      ...(request.body === undefined ? {} : { body: request.body }),
    };
    const started = performance.now();
    let response: Answer;
    try {
      endpoint ??= knownEndpoint(baseUrl, target.policy);
      if (endpoint.refusal) throw new TargetRefusedError(endpoint.refusal);
      const { origin, basePath } = endpoint;
      const body = request.body === undefined ? undefined : jsonText(request.body);
      const headers: Record<string, string> = {
        Authorization: authorization,
        Accept: 'application/scim+json, application/json',
        'User-Agent': USER_AGENT,
        ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json' }),
        ...(request.ifMatch ? { 'If-Match': request.ifMatch } : {}),
      };
      const path = `${basePath}${request.path}`;
      const { method } = request;
      try {
        response = await answerText(http, { origin, path, method, headers, body });
      } catch (error) {
        // A kept-alive socket the target closed as it was reused resets at once; a read is sent again.
        if (method !== 'GET' || codeOf(error) !== 'ECONNRESET') throw error;
        response = await answerText(http, { origin, path, method, headers, body });
      }
    } catch (error) {
      const code = codeOf(error);
      const failed = { request: exchangeRequest, durationMs: since(started) };
      if (error instanceof TargetRefusedError)
        return fail(
          onExchange,
          'refused',
          `Refused to send ${call} (nothing was sent): ${error.message}`,
          failed,
        );
      if (code === 'ETIMEDOUT') {
        return fail(
          onExchange,
          'retryable',
          `The target did not answer ${call} within ${target.timeoutMs} ms (${code})`,
          failed,
        );
      }
      const network = NETWORK_CODES[code];
      if (network)
        return fail(
          onExchange,
          'retryable',
          `Could not reach the target for ${call}: ${network} (${code})`,
          failed,
        );
      // TLS failures, oversized answers, malformed URLs: trying again will not help.
      const reason =
        code === TOO_LARGE
          ? `its answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB (${code})`
          : `${(error as Error).message}${code ? ` (${code})` : ''}`;
      return fail(onExchange, 'permanent', `The call ${call} to the target failed: ${reason}`, failed);
    }

    const { status } = response;
    const parsed = parseBody(response.text, response.contentType ?? '');
    const exchange: ScimExchange = {
      request: exchangeRequest,
      response: {
        status,
        ...(parsed.ok
          ? parsed.value === undefined
            ? {}
            : { body: parsed.value }
          : { body: clip(parsed.raw) }),
      },
      durationMs: since(started),
    };
    const success = (status >= 200 && status < 300) || (request.alsoSuccess ?? []).includes(status);
    if (success) {
      const problem = parsed.ok
        ? (request.problemWith?.(parsed.value, status) ?? null)
        : `sent ${parsed.problem}`;
      if (problem)
        return fail(
          onExchange,
          'permanent',
          `The target answered ${call} with ${status} but ${problem}`,
          exchange,
          status,
        );
      await onExchange?.(exchange);
      return { status, body: parsed.ok ? parsed.value : undefined };
    }
    const kind = statusKind(status);
    const detail = parsed.ok ? scimErrorText(parsed.value) : '';
    const retryAfterMs = kind === 'retryable' ? parseRetryAfter(response.retryAfter) : undefined;
    const message =
      kind === 'auth'
        ? `The target ${status === 401 ? 'rejected the bearer token' : 'refused access'} (${status}) on ${call}${detail}`
        : `The target answered ${call} with ${status}${detail}${status >= 300 && status < 400 ? ' (a redirect: check the SCIM Base URL)' : ''}`;
    return fail(onExchange, kind, message, exchange, status, retryAfterMs);
  };
}

export type ScimSend = ReturnType<typeof createScimTransport>;
