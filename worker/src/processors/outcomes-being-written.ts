/**
 * How many of a batch job's pushes may have their outcome still being written while the job goes on
 * to its next user. Two keep the target fed while a finish waits for its group's call (see
 * PUSH_CALL_HOLD_MS in the lifecycle) and bound what a failing Redis lets pile up.
 */
const OUTCOMES_IN_FLIGHT = 2;

/**
 * The outcomes of a batch job's pushes still being written. Every write's failure is kept (and given
 * back), never left as an unhandled rejection: the job ends, or is retried, only once `failures` has
 * waited for all of them, so a retry never meets a lease the job's own finish still holds.
 */
export class OutcomesBeingWritten {
  /** Each settles to the write's error, or undefined once written. */
  private readonly writes: Promise<unknown>[] = [];

  constructor(private readonly inFlight = OUTCOMES_IN_FLIGHT) {}

  /** Adds a write; past `inFlight` writes waits for the oldest, and throws its error. */
  async add(written: Promise<void>): Promise<void> {
    this.keep(written);
    if (this.writes.length <= this.inFlight) return;
    const error = await this.writes.shift();
    if (error !== undefined) throw error;
  }

  /** Adds a write without waiting for any (its failure is given back by `failures`). */
  keep(written: Promise<void>): void {
    this.writes.push(
      written.then(
        () => undefined,
        (err: unknown) => err ?? new Error('a push outcome was not written'),
      ),
    );
  }

  /** Waits for every write; answers the errors of those that failed. */
  async failures(): Promise<unknown[]> {
    const errors = await Promise.all(this.writes.splice(0));
    return errors.filter((error) => error !== undefined);
  }
}
