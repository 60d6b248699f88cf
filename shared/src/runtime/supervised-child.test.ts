import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SupervisedChild } from './supervised-child.ts';

const idleChild = () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });

describe('SupervisedChild', () => {
  it('stop() cancels the pending relaunch, ends the child and says it is stopping', async () => {
    const supervised = new SupervisedChild();
    const child = idleChild();
    supervised.child = child;
    let relaunched = false;
    supervised.relaunchIn(50, () => {
      relaunched = true;
    });
    expect(supervised.stopping).toBe(false);
    await supervised.stop();
    expect(supervised.stopping).toBe(true);
    expect(child.signalCode).toBe('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(relaunched).toBe(false);
  });

  it('leaves the exit hook of the process as it found it once stopped', async () => {
    const before = process.listenerCount('exit');
    const supervised = new SupervisedChild();
    expect(process.listenerCount('exit')).toBe(before + 1);
    await supervised.stop();
    expect(process.listenerCount('exit')).toBe(before);
  });
});
