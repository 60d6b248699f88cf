import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET_POLICY } from '../../../shared/src/scim-client/target-policy.ts';
import { assertTargetAllowed } from './target-allowlist.ts';

describe('assertTargetAllowed', () => {
  it('allows any host when unset, and only matching hosts when set', () => {
    expect(() => assertTargetAllowed('https://scim.anything.test/v2', DEFAULT_TARGET_POLICY)).not.toThrow();
    const policy = { ...DEFAULT_TARGET_POLICY, allowlist: ['*.example.com', '127.0.0.1'] };
    expect(() => assertTargetAllowed('https://staging.example.com/scim/v2', policy)).not.toThrow();
    expect(() => assertTargetAllowed('http://127.0.0.1:3100/scim/v2/org', policy)).not.toThrow();
    expect(() => assertTargetAllowed('https://example.com.evil.test/scim', policy)).toThrow(/scimBaseUrl/);
    expect(() => assertTargetAllowed('https://a.b.example.com/scim', policy)).toThrow(
      /not in PROVISIM_TARGET_ALLOWLIST/,
    );
  });

  it('refuses a literal metadata address in any spelling unless allowed', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://2852039166/',
      'http://0xa9fea9fe/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/',
    ])
      expect(() => assertTargetAllowed(url, DEFAULT_TARGET_POLICY), url).toThrow(/169\.254|fd00:ec2::254/);
    const open = { ...DEFAULT_TARGET_POLICY, allowLinkLocal: true };
    expect(() => assertTargetAllowed('http://169.254.169.254/', open)).not.toThrow();
  });
});
