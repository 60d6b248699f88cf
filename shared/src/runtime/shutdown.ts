import type { Logger } from '../logger/logger.ts';

/** On SIGTERM/SIGINT runs `stop` once, with a hard deadline after which the process exits anyway. */
export function exitOnSignals(stop: () => Promise<void>, logger: Logger, deadlineMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Loads the config or exits with the message that names each bad variable. */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}

/**
 * An error nothing caught leaves the process in an unknown state: log it and exit non-zero rather
 * than limp on. What started the process restarts it (npm start's supervisor restarts the target;
 * a service manager restarts npm start or a worker), and 'exit' listeners stop its children.
 */
export function exitOnUnexpectedError(logger: Logger): void {
  const fail = (kind: string) => (err: unknown) => {
    logger.fatal({ err, kind }, 'unexpected error; exiting so that this part restarts');
    process.exit(1);
  };
  process.on('uncaughtException', fail('uncaughtException'));
  process.on('unhandledRejection', fail('unhandledRejection'));
}
