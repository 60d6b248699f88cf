import { describe, expect, it } from 'vitest';
import { taskTotal } from './use-tasks.ts';

describe('taskTotal', () => {
  it('counts the tasks read while they fit in one page', () => {
    expect(taskTotal(Array(3).fill({}), 7)).toBe(3);
    expect(taskTotal([], 2)).toBe(0);
  });

  it("takes the app's count once the page read is full, or before anything is read", () => {
    expect(taskTotal(Array(1000).fill({}), 4321)).toBe(4321);
    expect(taskTotal(undefined, 12)).toBe(12);
  });
});
