import { describe, expect, it } from 'vitest';
import { addressRefusal, allowlistRefusal, DEFAULT_TARGET_POLICY } from './target-policy.ts';

const ALLOWED = { ...DEFAULT_TARGET_POLICY, allowLinkLocal: true };

describe('addressRefusal', () => {
  it.each([
    ['169.254.169.254', /link-local/],
    ['169.254.0.1', /link-local/],
    ['::ffff:169.254.169.254', /link-local/],
    ['::ffff:a9fe:a9fe', /link-local/],
    ['64:ff9b::a9fe:a9fe', /link-local/],
    ['2002:a9fe:a9fe::1', /link-local/],
    ['::a9fe:a9fe', /link-local/],
    ['fe80::1', /link-local/],
    ['fd00:ec2::254', /metadata/],
    ['100.100.100.200', /metadata/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['::ffff:0.0.0.0', /unspecified/],
  ])('refuses %s by default, and allows it when told', (address, why) => {
    expect(addressRefusal(address, DEFAULT_TARGET_POLICY)).toMatch(why);
    expect(addressRefusal(address, DEFAULT_TARGET_POLICY)).toMatch(/PROVISIM_ALLOW_LINK_LOCAL_TARGETS/);
    expect(addressRefusal(address, ALLOWED)).toBeNull();
  });

  it.each([
    '127.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '10.0.0.5',
    '192.168.1.20',
    'fd12:3456::1',
    '93.184.216.34',
  ])('allows %s (loopback, private networks, the internet)', (address) => {
    expect(addressRefusal(address, DEFAULT_TARGET_POLICY)).toBeNull();
  });
});

describe('allowlistRefusal', () => {
  it('allows every host with no allowlist, and only matching hosts with one, naming the host', () => {
    expect(allowlistRefusal('anything.test', DEFAULT_TARGET_POLICY)).toBeNull();
    const policy = { ...DEFAULT_TARGET_POLICY, allowlist: ['*.example.com'] };
    expect(allowlistRefusal('scim.EXAMPLE.com', policy)).toBeNull();
    expect(allowlistRefusal('example.com', policy)).toBe(
      'host example.com is not in PROVISIM_TARGET_ALLOWLIST',
    );
    expect(allowlistRefusal('a.b.example.com', policy)).toMatch(/a\.b\.example\.com/);
  });
});
