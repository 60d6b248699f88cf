import { describe, expect, it } from 'vitest';
import { tokenFromHash } from '../auth/token-store.ts';
import { withQuery } from './http.ts';

describe('withQuery', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(
      withQuery('/api/provisioning-log', {
        appId: 'a b',
        userId: '',
        cursor: null,
        limit: 50,
        status: undefined,
      }),
    ).toBe('/api/provisioning-log?appId=a+b&limit=50');
    expect(withQuery('/api/apps')).toBe('/api/apps');
  });
});

describe('tokenFromHash', () => {
  it('reads the token of a login URL fragment', () => {
    expect(tokenFromHash('#token=abc%2Bdef')).toBe('abc+def');
    expect(tokenFromHash('#token=a+b/c=')).toBe('a+b/c=');
    expect(tokenFromHash('#x=1&token=t1')).toBe('t1');
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });
});
