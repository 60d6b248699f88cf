import { parseBody } from '../../../shared/src/api-client/http.ts';

/** One SCIM request and its answer as a report shows it (never the bearer token). */
export interface Exchange {
  request: { method: string; url: string; body?: unknown };
  response: { status: number; body?: unknown } | { error: string };
}

export interface ScimAnswer {
  status: number;
  body: unknown;
  exchange: Exchange;
}

const SCIM_JSON = 'application/scim+json';

/** compat's own SCIM calls to the server under test: the read-back after each step and the account it links. */
export function createScimReader(baseUrl: string, token: string, timeoutMs = 30_000) {
  const base = baseUrl.replace(/\/+$/, '');
  const send = async (method: string, path: string, body?: unknown): Promise<ScimAnswer> => {
    const url = `${base}${path}`;
    const request = { method, url, ...(body === undefined ? {} : { body }) };
    try {
      const res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: `${SCIM_JSON}, application/json`,
          ...(body === undefined ? {} : { 'content-type': SCIM_JSON }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const parsed = parseBody(await res.text());
      return {
        status: res.status,
        body: parsed,
        exchange: { request, response: { status: res.status, body: parsed } },
      };
    } catch (error) {
      const message =
        error instanceof Error ? `${error.message} ${String(error.cause ?? '')}`.trim() : String(error);
      return { status: 0, body: null, exchange: { request, response: { error: message } } };
    }
  };
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, body: unknown) => send('POST', path, body),
    delete: (path: string) => send('DELETE', path),
  };
}

export type ScimReader = ReturnType<typeof createScimReader>;

/** RFC 7644 §3.4.2.2 `attr eq "value"`, encoded for a query string. */
export const eqFilter = (attribute: string, value: string): string =>
  `filter=${encodeURIComponent(`${attribute} eq ${JSON.stringify(value)}`)}`;
