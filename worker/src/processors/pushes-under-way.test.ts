import { describe, expect, it } from 'vitest';
import { PushesUnderWay } from './pushes-under-way.ts';

describe('PushesUnderWay', () => {
  it("counts an app's pushes while they run, also those that throw", async () => {
    const underWay = new PushesUnderWay();
    let release = () => {};
    const running = underWay.run('app-1', () => new Promise<void>((resolve) => (release = resolve)));
    const failing = underWay.run('app-1', async () => {
      expect(underWay.count('app-1')).toBe(2);
      throw new Error('target gone');
    });
    await expect(failing).rejects.toThrow('target gone');
    expect(underWay.count('app-1')).toBe(1);
    expect(underWay.count('app-2')).toBe(0);
    release();
    await running;
    expect(underWay.count('app-1')).toBe(0);
  });
});
