import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedAgent } from './guarded-agents.ts';
import { DEFAULT_TARGET_POLICY, TargetRefusedError } from './target-policy.ts';

/** A resolver standing in for DNS: nothing leaves the machine, whatever a name "resolves" to. */
const fakeDns =
  (answers: Record<string, string>): LookupFunction =>
  (hostname, options, callback) => {
    const address = answers[hostname];
    if (!address)
      return callback(Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    const family = address.includes(':') ? 6 : 4;
    if (options.all)
      return (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    callback(null, address, family);
  };

describe('the SCIM agent refuses reserved addresses before connecting', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = async (agent: Dispatcher, host: string) => {
    const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const res = await agent.request({ origin, path: '/', method: 'GET' });
    await res.body.text();
    return String(res.statusCode);
  };

  const dns = fakeDns({
    'scim.test': '127.0.0.1',
    '169.254.169.254.nip.io': '169.254.169.254',
    'rebind.test': '::ffff:169.254.169.254',
    'aws6.test': 'fd00:ec2::254',
    'zero.test': '0.0.0.0',
  });

  it('connects to a name that resolves to loopback', async () => {
    const agent = createGuardedAgent(DEFAULT_TARGET_POLICY, 5000, dns);
    const before = connections;
    await expect(get(agent, 'scim.test')).resolves.toBe('200');
    expect(connections).toBe(before + 1);
  });

  it.each(['169.254.169.254.nip.io', 'rebind.test', 'aws6.test', 'zero.test'])(
    'refuses %s, whatever it resolves to, at lookup',
    async (host) => {
      const agent = createGuardedAgent(DEFAULT_TARGET_POLICY, 5000, dns);
      const before = connections;
      const error = await get(agent, host).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TargetRefusedError);
      expect((error as Error).message).toContain(host);
      // zero.test (0.0.0.0) would have reached this machine's listener had it connected.
      expect(connections).toBe(before);
    },
  );

  it.each(['169.254.169.254', '::ffff:169.254.169.254', '::', '0.0.0.0', 'fd00:ec2::254'])(
    'refuses the literal %s without connecting',
    async (host) => {
      const agent = createGuardedAgent(DEFAULT_TARGET_POLICY, 5000, dns);
      const before = connections;
      const error = await get(agent, host).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TargetRefusedError);
      expect((error as Error).message).toMatch(/PROVISIM_ALLOW_LINK_LOCAL_TARGETS/);
      expect(connections).toBe(before);
    },
  );

  it('lets the operator allow them', async () => {
    // 0.0.0.0 reaches this machine's own listener on Linux, so allowing it is observable without leaving it.
    const agent = createGuardedAgent({ ...DEFAULT_TARGET_POLICY, allowLinkLocal: true }, 5000, dns);
    const before = connections;
    await expect(get(agent, 'zero.test')).resolves.toBe('200');
    await expect(get(agent, '0.0.0.0')).resolves.toBe('200');
    expect(connections).toBeGreaterThan(before);
  });
});

describe('the SCIM agent behind an HTTP proxy (HTTP_PROXY)', () => {
  let target: http.Server;
  let proxy: http.Server;
  let targetUrl: string;
  let proxyPort: number;
  const proxied: string[] = [];
  const saved = { ...process.env };

  const listen = async (server: http.Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };

  beforeAll(async () => {
    target = http.createServer((_req, res) => res.end('ok'));
    targetUrl = `http://127.0.0.1:${await listen(target)}`;
    // A forward proxy: asked for an absolute URL, it makes the request itself.
    proxy = http.createServer((req, res) => {
      proxied.push(req.url ?? '');
      const upstream = http.request(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    proxyPort = await listen(proxy);
  });

  afterEach(() => {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'])
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    await new Promise((resolve) => target.close(resolve));
  });

  const dns = fakeDns({ 'proxy.test': '127.0.0.1', 'metadata-proxy.test': '169.254.169.254' });
  const viaProxy = (proxyHost: string, noProxy = '') => {
    for (const name of ['HTTPS_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) delete process.env[name];
    process.env.HTTP_PROXY = `http://${proxyHost}:${proxyPort}`;
    process.env.NO_PROXY = noProxy;
    return createGuardedAgent(DEFAULT_TARGET_POLICY, 5000, dns);
  };
  const get = async (agent: Dispatcher) => {
    const res = await agent.request({ origin: targetUrl, path: '/scim/v2/Users', method: 'GET' });
    return `${res.statusCode} ${await res.body.text()}`;
  };

  it('sends each request through the proxy, by its absolute URL', async () => {
    const before = proxied.length;
    await expect(get(viaProxy('proxy.test'))).resolves.toBe('200 ok');
    expect(proxied.slice(before)).toEqual([`${targetUrl}/scim/v2/Users`]);
  });

  it('connects directly to a host NO_PROXY names', async () => {
    const before = proxied.length;
    await expect(get(viaProxy('proxy.test', '127.0.0.1'))).resolves.toBe('200 ok');
    expect(proxied.length).toBe(before);
  });

  it('refuses a proxy whose name resolves to a refused address', async () => {
    const before = proxied.length;
    const error = await get(viaProxy('metadata-proxy.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetRefusedError);
    expect((error as Error).message).toContain('metadata-proxy.test');
    expect(proxied.length).toBe(before);
  });
});
