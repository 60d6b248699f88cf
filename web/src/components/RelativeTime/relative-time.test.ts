import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time.ts';

const now = Date.parse('2026-01-31T12:00:00Z');

describe('relativeTime', () => {
  it('uses the largest unit that fits', () => {
    expect(relativeTime('2026-01-31T11:59:58Z', now)).toBe('2 sec. ago');
    expect(relativeTime('2026-01-31T11:57:00Z', now)).toBe('3 min. ago');
    expect(relativeTime('2026-01-31T09:00:00Z', now)).toBe('3 hr. ago');
    expect(relativeTime('2026-01-30T12:00:00Z', now)).toBe('yesterday');
  });

  it('says now for the current second', () => {
    expect(relativeTime('2026-01-31T12:00:00Z', now)).toBe('now');
  });
});
