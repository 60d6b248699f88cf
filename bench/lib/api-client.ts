/** A JSON client for the admin API and the target's management API (both take the admin token). */
export interface ApiClient {
  call<T>(method: string, path: string, body?: unknown, expect?: number[]): Promise<T>;
}

export function createApiClient(baseUrl: string, adminToken: string): ApiClient {
  return {
    async call<T>(method: string, path: string, body?: unknown, expect = [200, 201, 204]): Promise<T> {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!expect.includes(response.status)) {
        throw new Error(`${method} ${path} -> ${response.status}: ${text.slice(0, 500)}`);
      }
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
