/** The JSON-over-HTTP layer of the provisim client: one request, its reply, the contract's error. */

import type { ErrorCode } from '../errors/error-codes.ts';

export interface Reply<T = unknown> {
  status: number;
  /** The parsed JSON; the text itself when the answer is not JSON; null when it is empty. */
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as is instead of the JSON of `body` (a truncated or malformed body). */
  rawBody?: string;
  /** The request is aborted after this long; 30 s unless given. */
  timeoutMs?: number;
}

export interface Endpoint {
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; null sends none. */
  token: string | null;
}

/** A reply whose status was not the one expected; `code` is the contract's error code when the body has one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | null;
  readonly reply: Reply;

  constructor(method: string, path: string, reply: Reply) {
    const envelope = (reply.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    // The contract's envelope carries only codes of the closed set.
    const code = typeof envelope?.code === 'string' ? (envelope.code as ErrorCode) : null;
    const detail =
      typeof envelope?.message === 'string' ? `${code}: ${envelope.message}` : reply.text.slice(0, 1000);
    super(`${method} ${path} answered ${reply.status}: ${detail}`);
    this.name = 'ApiError';
    this.status = reply.status;
    this.code = code;
    this.reply = reply;
  }
}

/** JSON when the text parses, the text itself otherwise, null when empty. */
export const parseBody = (text: string): unknown => {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Sends one request to `endpoint` and reads the whole answer. */
export async function sendRequest<T = unknown>(
  endpoint: Endpoint,
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${endpoint.baseUrl}${path}`, {
    method,
    headers,
    body: payload,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  return { status: res.status, body: parseBody(text) as T, text, headers: res.headers };
}

/** The status codes a call accepts unless told otherwise. */
export const SUCCESS: readonly number[] = [200, 201, 204];

/** Returns the body when the status is one of `expected`; throws an `ApiError` otherwise. */
export function expectStatus<T>(
  method: string,
  path: string,
  reply: Reply<T>,
  expected: readonly number[] = SUCCESS,
): T {
  if (!expected.includes(reply.status)) throw new ApiError(method, path, reply as Reply);
  return reply.body;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every item of a paginated list, asking `fetchPage` for each page until the cursor runs out. */
export async function allPages<T>(
  path: string,
  fetchPage: (pagePath: string) => Promise<Page<T>>,
  limit = 1000,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await fetchPage(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    if (page.nextCursor !== null && page.nextCursor === cursor) {
      throw new Error(
        `GET ${path}: the next page's cursor is the cursor just used (${cursor}); paging would never end`,
      );
    }
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** `?a=1&b=2` of the defined values, or an empty string. */
export function queryString(query: Record<string, string | number | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
