import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimCallError } from './scim-call-error.ts';
import { createScimTransport } from './scim-transport.ts';
import { DEFAULT_TARGET_POLICY } from './target-policy.ts';

const OK =
  'HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}';

/** A target that resets every other request (the first, the third...) as it arrives. */
describe('a request the target resets (a kept-alive socket it closed as the request went out)', () => {
  let server: Server;
  let requests = 0;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((socket: Socket) => {
      socket.once('data', () => {
        requests += 1;
        if (requests % 2 === 1) socket.resetAndDestroy();
        else socket.end(OK);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const send = (request: Parameters<ReturnType<typeof createScimTransport>>[0]) =>
    createScimTransport({ baseUrl, bearerToken: 't', timeoutMs: 5000, policy: DEFAULT_TARGET_POLICY })(
      request,
    );

  it('is sent again once when it is a read', async () => {
    requests = 0;
    await expect(send({ method: 'GET', path: '/Users?count=1' })).resolves.toMatchObject({ status: 200 });
    expect(requests).toBe(2);
  });

  it('is not sent again when it writes: the caller decides (a push looks the account up first)', async () => {
    requests = 0;
    const failure = await send({ method: 'POST', path: '/Users', body: { userName: 'a' } }).catch((e) => e);
    expect(failure).toBeInstanceOf(ScimCallError);
    expect(failure).toMatchObject({ kind: 'retryable' });
    expect(requests).toBe(1);
  });
});
