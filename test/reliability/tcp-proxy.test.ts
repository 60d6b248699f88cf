import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

describe('the test TCP proxy (the fault injector the scenarios rely on)', () => {
  let upstream: Server;
  let proxy: TcpProxy;

  beforeAll(async () => {
    upstream = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    proxy = await startTcpProxy({ host: '127.0.0.1', port: (upstream.address() as AddressInfo).port });
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  const get = () => fetch(proxy.url, { signal: AbortSignal.timeout(300) });

  it('forwards, refuses, hangs and forwards again on the same port', async () => {
    expect(await (await get()).text()).toBe('pong');

    await proxy.setMode('refuse');
    await expect(get()).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });

    await proxy.setMode('hang');
    await expect(get()).rejects.toMatchObject({ name: 'TimeoutError' });

    await proxy.setMode('forward');
    expect(await (await get()).text()).toBe('pong');
    expect(proxy.accepted()).toBeGreaterThanOrEqual(3);
  });
});
