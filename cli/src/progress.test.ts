import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.ts';

const capture = (isTTY: boolean) => {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { io: { stdout: stream, stderr: new PassThrough() }, text: () => text };
};

describe('progress', () => {
  it('prints one plain line per step when stdout is not a terminal', () => {
    const out = capture(false);
    const progress = createProgress(out.io, 2, 'run');
    progress.tick('first');
    progress.tick('second');
    progress.stop();
    expect(out.text()).toBe('[1/2] first\n[2/2] second\n');
  });

  it('draws a bar on a terminal', () => {
    const out = capture(true);
    const progress = createProgress(out.io, 4, 'compat');
    progress.tick('Okta / connection: pass');
    progress.stop();
    expect(out.text()).toMatch(/compat \[[█░]+\] \d\/4/);
    expect(out.text()).not.toContain('[1/4]');
  });
});
