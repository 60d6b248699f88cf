import { describe, expect, it } from 'vitest';
import { scrubRequest, scrubSecrets } from './log-scrub.ts';

const urlOf = (url: string) => scrubRequest({ method: 'GET', url }).url;

describe('scrubRequest: query parameters', () => {
  it('keeps a URL whose parameter names are not secret as it is, escapes in the values included', () => {
    const url = 'http://t/scim/v2/Users?filter=userName%20eq%20%22a%2Bb%40x%22&count=1';
    expect(urlOf(url)).toBe(url);
    expect(urlOf('http://t/scim/v2/Users')).toBe('http://t/scim/v2/Users');
  });

  it('redacts a secret parameter however its name is written (case, dashes, escapes, a second "?")', () => {
    expect(urlOf('http://t/u?Access-Token=abc&count=1')).toBe(
      'http://t/u?Access-Token=%5Bredacted%5D&count=1',
    );
    expect(urlOf('http://t/u?access%5Ftoken=abc')).toBe('http://t/u?access_token=%5Bredacted%5D');
    expect(urlOf('http://t/u??token=abc')).toBe('http://t/u?token=%5Bredacted%5D');
    expect(urlOf('http://t/u?a=1&password')).toBe('http://t/u?a=1&password=%5Bredacted%5D');
  });
});

describe('scrubSecrets', () => {
  it('answers the same for a key every time it meets it', () => {
    const body = { Password: 'p', userName: 'u', nested: [{ password: 'q', user_name: 'v' }] };
    const expected = {
      Password: '[redacted]',
      userName: 'u',
      nested: [{ password: '[redacted]', user_name: 'v' }],
    };
    expect(scrubSecrets(body)).toEqual(expected);
    expect(scrubSecrets(body)).toEqual(expected);
  });
});
