import type { ErrorCode } from '../../../shared/src/errors/error-codes.ts';
import { clearToken, readToken } from '../auth/token-store.ts';
import type { ApiErrorBody } from './types.ts';

/** What the browser itself concludes when there is no envelope: no answer at all, or an answer without one. */
export type ClientErrorCode = 'network_error' | 'http_error';

/** An error answered by the API, in the contract's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export const withQuery = (path: string, query: Query = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

export const authHeaders = (token = readToken()): Record<string, string> =>
  token ? { Authorization: `Bearer ${token}` } : {};

const isErrorBody = (body: unknown): body is ApiErrorBody =>
  typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object';

const toApiError = (status: number, body: unknown): ApiError => {
  if (isErrorBody(body)) return new ApiError(status, body.error.code, body.error.message, body.error.details);
  const text = typeof body === 'string' && body ? body : `The server answered ${status}.`;
  return new ApiError(status, 'http_error', text);
};

const parseBody = async (response: Response): Promise<unknown> => {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Signed-out handling: a 401 on any call ends the session and goes back to the sign-in page. */
const onUnauthorized = (): void => {
  clearToken();
  if (window.location.pathname !== '/login') window.location.assign('/login');
};

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...authHeaders(options.token ?? readToken()),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The provisim server cannot be reached.');
  }
  const parsed = await parseBody(response);
  if (!response.ok) {
    if (response.status === 401 && options.token === undefined) onUnauthorized();
    throw toApiError(response.status, parsed);
  }
  return parsed as T;
}

/** Downloads a response as a file (the export needs the Authorization header, so no plain link). */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw toApiError(response.status, await parseBody(response));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
