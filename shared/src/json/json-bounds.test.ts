import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../store/provisioning-log/log-scrub.ts';
import { redactSecret } from '../store/redact-secret.ts';
import { findJsonBoundViolation, JSON_LIMITS, TOO_DEEP } from './json-bounds.ts';

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('findJsonBoundViolation', () => {
  it('accepts values within the bounds', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        expect(findJsonBoundViolation(value)).toBeUndefined();
      }),
    );
    expect(findJsonBoundViolation(nested(JSON_LIMITS.maxDepth))).toBeUndefined();
  });

  it('names where a value nests too deep, at any depth, without recursion', () => {
    expect(findJsonBoundViolation(nested(JSON_LIMITS.maxDepth + 1))).toEqual({
      path: Array.from({ length: JSON_LIMITS.maxDepth }, (_, i) => (i % 2 ? '0' : 'a')).join('.'),
      problem: 'nests deeper than 32 levels',
    });
    expect(findJsonBoundViolation(JSON.parse('['.repeat(1e6) + ']'.repeat(1e6)))?.problem).toBe(
      'nests deeper than 32 levels',
    );
  });

  it('names a string or a key that is too long', () => {
    const long = 'x'.repeat(JSON_LIMITS.maxStringChars + 1);
    expect(findJsonBoundViolation({ emails: [{ value: long }] })).toEqual({
      path: 'emails.0.value',
      problem: 'is longer than 65536 characters',
    });
    expect(findJsonBoundViolation({ [long]: 1 })?.problem).toBe('has a name longer than 65536 characters');
  });
});

describe('the walks over what a target answers stop at the bound', () => {
  const deep = JSON.parse('['.repeat(1e5) + ']'.repeat(1e5));

  it('scrubSecrets and redactSecret cut what is deeper than JSON_LIMITS.maxDepth', () => {
    const scrubbed = scrubSecrets(deep);
    expect(JSON.stringify(scrubbed)).toBe(`${'['.repeat(32)}"${TOO_DEEP}"${']'.repeat(32)}`);
    expect(JSON.stringify(redactSecret(deep, 'token'))).toBe(JSON.stringify(scrubbed));
    expect(scrubSecrets(nested(10, 'Bearer abc'))).toEqual(nested(10, 'Bearer [redacted]'));
  });
});
