import type { ChildProcess } from 'node:child_process';
import { stopChild } from './stop-child.ts';

/**
 * What an owner that restarts its child process whenever it dies keeps: the current child, the pending
 * relaunch, and one `stop()` that ends both. An exit of ours that skips `stop()` (a fatal error) still
 * takes the child down, with SIGTERM.
 */
export class SupervisedChild {
  child: ChildProcess | undefined;
  private stopped = false;
  private relaunch: NodeJS.Timeout | undefined;
  private readonly stopOnExit = () => this.child?.kill('SIGTERM');

  constructor() {
    process.once('exit', this.stopOnExit);
  }

  /** True once `stop()` was called: an exit from then on is expected, not a crash to restart. */
  get stopping(): boolean {
    return this.stopped;
  }

  relaunchIn(ms: number, launch: () => void): void {
    this.relaunch = setTimeout(launch, ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relaunch);
    process.removeListener('exit', this.stopOnExit);
    await stopChild(this.child);
  }
}
