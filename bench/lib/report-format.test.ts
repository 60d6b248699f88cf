import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './bench-options.ts';
import { median } from './stats.ts';
import { renderTable } from './table.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of nothing');
  });
});

describe('renderTable', () => {
  it('renders Markdown with numbers right-aligned', () => {
    expect(
      renderTable(
        ['name', 'n'],
        [
          ['a', 1.5],
          ['bb', 12],
        ],
      ),
    ).toBe(['| name |    n |', '|------|-----:|', '| a    | 1.50 |', '| bb   |   12 |'].join('\n'));
  });
});

describe('parseBenchOptions', () => {
  it('reads sizes and lists from flags', () => {
    const options = parseBenchOptions([
      '--users',
      '500',
      '--pending',
      '100,1000',
      '--only',
      'push,approval',
      '--cpu-prof',
    ]);
    expect(options.users).toBe(500);
    expect(options.pending).toEqual([100, 1000]);
    expect(options.only).toEqual(['push', 'approval']);
    expect(options.cpuProf).toBe(true);
    expect(options.concurrency).toBe(16);
  });

  it('names the flag at fault', () => {
    expect(() => parseBenchOptions(['--pending', '10,x'])).toThrow(/^--pending: /);
    expect(() => parseBenchOptions(['--only', 'everything'])).toThrow(/^--only: /);
    expect(() => parseBenchOptions(['--log-events', '0'])).toThrow(/^--log-events: /);
  });
});
