import { expectStatus, SUCCESS, sendRequest } from '../../shared/src/api-client/http.ts';

/** A JSON client for the admin API and the target's management API (both take the admin token). */
export interface ApiClient {
  call<T>(method: string, path: string, body?: unknown, expect?: readonly number[]): Promise<T>;
}

/** Bench calls set up large batches (2,000-user roles on a loaded machine): no 30 s cut. */
const BENCH_CALL_TIMEOUT_MS = 600_000;

/** The shared client's transport (shared/src/api-client) with the bench's one-call shape. */
export function createApiClient(baseUrl: string, adminToken: string): ApiClient {
  return {
    call: async <T>(method: string, path: string, body?: unknown, expect = SUCCESS) =>
      expectStatus(
        method,
        path,
        await sendRequest<T>({ baseUrl, token: adminToken }, method, path, body, {
          timeoutMs: BENCH_CALL_TIMEOUT_MS,
        }),
        expect,
      ),
  };
}
