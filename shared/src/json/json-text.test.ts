import { describe, expect, it } from 'vitest';
import { jsonText } from './json-text.ts';

describe('jsonText', () => {
  it('is JSON.stringify, undefined included', () => {
    for (const value of [undefined, null, 1, 'a"b', [1, undefined], { a: undefined, b: [{ c: 'é' }] }])
      expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it('encodes an object once: the same object answers the same text', () => {
    const body = { userName: 'a' };
    const first = jsonText(body);
    body.userName = 'changed after it was encoded';
    expect(jsonText(body)).toBe(first);
    expect(jsonText({ ...body })).toBe('{"userName":"changed after it was encoded"}');
  });
});
