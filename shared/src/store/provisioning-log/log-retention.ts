import type { ProvisioningLog } from './provisioning-log.ts';

/**
 * Applies the log's retention now and then every `intervalMs` (a run still going skips the next tick).
 * The timer does not keep the process alive; call the returned function at shutdown.
 */
export function scheduleLogRetention(
  log: Pick<ProvisioningLog, 'applyRetention'>,
  intervalMs: number,
  onError: (err: unknown) => void,
): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await log.applyRetention();
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
