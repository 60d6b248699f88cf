import { describe, expect, it } from 'vitest';
import { redactSecret } from './redact-secret.ts';

describe('redactSecret', () => {
  it('removes the secret from nested strings and keys, leaving everything else as is', () => {
    const secret = 's3cr3t-token';
    const value = {
      detail: `Rejected request with Authorization: Bearer ${secret}`,
      list: [secret, 1, null, { [secret]: true }],
      status: 400,
    };
    const clean = redactSecret(value, secret);
    expect(JSON.stringify(clean)).not.toContain(secret);
    expect(clean).toEqual({
      detail: 'Rejected request with Authorization: Bearer [redacted]',
      list: ['[redacted]', 1, null, { '[redacted]': true }],
      status: 400,
    });
    expect(redactSecret(value, null)).toBe(value);
  });
});
