import { afterAll, beforeAll } from 'vitest';
import type { TestStack } from './stack.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/**
 * A TCP proxy in front of the stack's built-in target for the file's tests, started once the stack is
 * up (declare it after `useStack`); an app reaches the target through it with `throughOrigin(…, proxy().url)`.
 */
export function useTargetProxy(stack: () => TestStack): () => TcpProxy {
  let proxy: TcpProxy | undefined;
  beforeAll(async () => {
    const target = new URL(stack().targetUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  });
  afterAll(async () => {
    await proxy?.close();
  });
  return () => {
    if (!proxy) throw new Error('the proxy starts in beforeAll');
    return proxy;
  };
}
