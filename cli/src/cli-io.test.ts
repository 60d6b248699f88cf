import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './cli-io.ts';

const options = { token: { type: 'string' }, json: { type: 'string' } } as const;

describe('parseFlags', () => {
  it('takes a value that begins with a dash, as a random token may', () => {
    expect(parseFlags(['--token', '-Xy_9', '--json', 'out.json'], options).values).toEqual({
      token: '-Xy_9',
      json: 'out.json',
    });
    expect(parseFlags(['--token=-Xy_9'], options).values.token).toBe('-Xy_9');
  });

  it('still names a flag left without its value, or one it does not know', () => {
    expect(() => parseFlags(['--token'], options)).toThrow(UsageError);
    expect(() => parseFlags(['--token'], options)).toThrow(/--token/);
    expect(() => parseFlags(['--tokne', 'x'], options)).toThrow(/--tokne/);
  });
});
