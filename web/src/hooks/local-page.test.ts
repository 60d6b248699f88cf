import { describe, expect, it } from 'vitest';
import { localPage } from './local-page.ts';

const letters = ['a', 'b', 'c', 'd', 'e'];

describe('localPage', () => {
  it('cuts a whole list into pages whose cursor leads to the next one', () => {
    const first = localPage(letters, null, 2);
    expect(first).toEqual({ items: ['a', 'b'], nextCursor: '2' });
    const second = localPage(letters, first?.nextCursor ?? null, 2);
    expect(second).toEqual({ items: ['c', 'd'], nextCursor: '4' });
    expect(localPage(letters, second?.nextCursor ?? null, 2)).toEqual({ items: ['e'], nextCursor: null });
  });

  it('has no next page when the list ends exactly at the page end, and nothing before the list loads', () => {
    expect(localPage(letters.slice(0, 4), '2', 2)).toEqual({ items: ['c', 'd'], nextCursor: null });
    expect(localPage(undefined, null, 2)).toBeUndefined();
  });
});
