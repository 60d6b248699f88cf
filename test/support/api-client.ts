import {
  allPages,
  type Endpoint,
  expectStatus,
  type Reply as HttpReply,
  type RequestOptions,
  SUCCESS,
  sendRequest,
} from '../../shared/src/api-client/http.ts';
import { createProvisimClient, type ProvisimClient } from '../../shared/src/api-client/provisim-client.ts';

export type { Endpoint, RequestOptions };

// biome-ignore lint/suspicious/noExplicitAny: replies are read loosely and asserted on in the tests
type Json = any;

export type Reply<T = Json> = HttpReply<T>;

/**
 * A JSON client for the provisim API, the built-in target's management API or a SCIM endpoint, with a
 * bearer token, on the shared client's transport. Calling it sends one request; it keeps the text of
 * every reply it received, so a test can search all of them for a secret afterwards.
 */
export interface Api {
  <T = Json>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<Reply<T>>;
  readonly replies: string[];
  /** Like calling the client, but fails unless the status is one of `expected`; returns the body. */
  ok<T = Json>(method: string, path: string, body?: unknown, expected?: readonly number[]): Promise<T>;
  /** Every item of a paginated list (`{items, nextCursor}`). */
  all<T = Json>(path: string, limit?: number): Promise<T[]>;
  /** The typed client (shared/src/api-client) over the same transport, its replies kept here too. */
  readonly typed: ProvisimClient;
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
    const reply = await sendRequest<T>(endpoint(), method, path, body, options);
    replies.push(reply.text);
    return reply;
  };

  const ok = async <T = Json>(
    method: string,
    path: string,
    body?: unknown,
    expected: readonly number[] = SUCCESS,
  ): Promise<T> => expectStatus(method, path, await send<T>(method, path, body), expected);

  const all = <T = Json>(path: string, limit = 1000): Promise<T[]> =>
    allPages<T>(path, (pagePath) => ok('GET', pagePath), limit);

  return Object.assign(send, { replies, ok, all, typed: createProvisimClient(endpoint, send) });
}
