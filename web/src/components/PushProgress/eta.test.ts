import { describe, expect, it } from 'vitest';
import { etaText } from './eta.ts';

describe('etaText', () => {
  it('extrapolates the pace so far', () => {
    expect(etaText(2, 10, 3000)).toBe('about 12 s left');
    expect(etaText(1, 100, 2000)).toBe('about 3 min left');
    expect(etaText(9, 10, 900)).toBe('under a second left');
  });

  it('says nothing before the first push ends or once all have', () => {
    expect(etaText(0, 10, 5000)).toBeNull();
    expect(etaText(10, 10, 5000)).toBeNull();
  });
});
