import { describe, expect, it } from 'vitest';
import { assertTargetAllowed } from './target-allowlist.ts';

describe('assertTargetAllowed', () => {
  it('allows any host when unset, and only matching hosts when set', () => {
    expect(() => assertTargetAllowed('https://scim.anything.test/v2', undefined)).not.toThrow();
    const list = '*.example.com, 127.0.0.1';
    expect(() => assertTargetAllowed('https://staging.example.com/scim/v2', list)).not.toThrow();
    expect(() => assertTargetAllowed('http://127.0.0.1:3100/scim/v2/org', list)).not.toThrow();
    expect(() => assertTargetAllowed('https://example.com.evil.test/scim', list)).toThrow(/scimBaseUrl/);
    expect(() => assertTargetAllowed('https://a.b.example.com/scim', list)).toThrow(
      /not in PROVISIM_TARGET_ALLOWLIST/,
    );
  });
});
