import type { ChildProcess } from 'node:child_process';

/** Sends SIGTERM to a supervised child and waits for it to exit; a child already gone (or never started) is left. */
export async function stopChild(proc: ChildProcess | undefined): Promise<void> {
  // A child killed by a signal has exitCode null and signalCode set: both mean it is gone.
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((done) => {
    proc.once('exit', () => done());
    proc.kill('SIGTERM');
  });
}
