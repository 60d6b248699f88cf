import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
