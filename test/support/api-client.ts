// biome-ignore lint/suspicious/noExplicitAny: replies are read loosely and asserted on in the tests
type Json = any;

export interface Reply<T = Json> {
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

/**
 * A JSON client for the provisim API, the built-in target's management API or a SCIM endpoint, with a
 * bearer token. Calling it sends one request; it keeps the text of every reply it received, so a test
 * can search all of them for a secret afterwards.
 */
export interface Api {
  <T = Json>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<Reply<T>>;
  readonly replies: string[];
  /** Like calling the client, but fails unless the status is one of `expected`; returns the body. */
  ok<T = Json>(method: string, path: string, body?: unknown, expected?: readonly number[]): Promise<T>;
  /** Every item of a paginated list (`{items, nextCursor}`). */
  all<T = Json>(path: string, limit?: number): Promise<T[]>;
}

export interface Endpoint {
  baseUrl: string;
  token: string | null;
}

export function apiClient(baseUrl: string, token: string | null): Api {
  return deferredApiClient(() => ({ baseUrl, token }));
}

/** A client whose server is known only later (a stack that a `beforeAll` starts): each request reads `endpoint()`. */
export function deferredApiClient(endpoint: () => Endpoint): Api {
  const replies: string[] = [];

  const send = async <T = Json>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<Reply<T>> => {
    const { baseUrl, token } = endpoint();
    const headers: Record<string, string> = { ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    replies.push(text);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // a non-JSON answer stays text
    }
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  };

  const ok = async <T = Json>(
    method: string,
    path: string,
    body?: unknown,
    expected: readonly number[] = [200, 201, 204],
  ): Promise<T> => {
    const reply = await send<T>(method, path, body);
    if (!expected.includes(reply.status)) {
      throw new Error(`${method} ${path} answered ${reply.status}: ${reply.text.slice(0, 1000)}`);
    }
    return reply.body;
  };

  const all = async <T = Json>(path: string, limit = 1000): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await ok(
        'GET',
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
  };

  return Object.assign(send, { replies, ok, all });
}
