interface Waiting<I, R> {
  item: I;
  sender: string | undefined;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * How long a call may wait for the rest of the items `expected` says are coming (callers of the group
 * already under way, each about to add one). It is sent once they are all waiting, once a sender adds
 * a second item (its callers came round once: a batch job's next user), once an item comes that has
 * no sender (a caller that cannot wait), or after `ms`, whichever is first.
 */
export interface GroupHold {
  ms: number;
  expected(group: string): number;
}

/**
 * Group calls of one group (an app) to Redis: one is sent at once (after the events of the current turn
 * of the event loop, which may add more), and those that come while it is in flight go together in the
 * next call. Pushes of an app that start or end together so share one script call (and, for finishes,
 * its log append and publish). With a `hold`, a call with fewer items than expected waits a little for
 * the rest (see GroupHold). `sendMany` answers one result per item, in order; each item stays atomic
 * and guarded on its own; a call's error fails every item it carried.
 */
export class GroupCall<I, R> {
  private readonly waiting = new Map<string, Waiting<I, R>[]>();
  /** Groups with a call in flight, held or about to be sent. */
  private readonly sending = new Set<string>();
  /** Groups whose next call is held for more items, with the timer that sends it anyway. */
  private readonly held = new Map<string, NodeJS.Timeout>();
  /** Groups with a call in flight. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly sendMany: (group: string, items: I[]) => Promise<R[]>,
    private readonly hold?: GroupHold,
  ) {}

  /** `sender`: who adds the item (a batch job), for the hold to tell when its callers came round. */
  call(group: string, item: I, sender?: string): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(group) ?? [];
      queue.push({ item, sender, resolve, reject });
      this.waiting.set(group, queue);
      // A call in flight: what comes meanwhile is looked at once it is back (see `next`).
      if (this.inFlight.has(group)) return;
      if (this.sending.has(group)) {
        if (this.ready(group, queue)) this.release(group);
        return;
      }
      this.sending.add(group);
      this.sendWhenReady(group, queue);
    });
  }

  /** Whether a call of `queue` need wait no longer (see GroupHold). */
  private ready(group: string, queue: Waiting<I, R>[]): boolean {
    if (!this.hold || queue.length >= this.hold.expected(group)) return true;
    const senders = new Set<string>();
    for (const { sender } of queue) {
      if (sender === undefined || senders.has(sender)) return true;
      senders.add(sender);
    }
    return false;
  }

  private sendWhenReady(group: string, queue: Waiting<I, R>[]): void {
    if (!this.hold || this.ready(group, queue)) setImmediate(() => this.send(group));
    else
      this.held.set(
        group,
        setTimeout(() => this.release(group), this.hold.ms),
      );
  }

  /** Sends a held call now (nothing when the group's call is not held). */
  private release(group: string): void {
    const timer = this.held.get(group);
    if (!timer) return;
    clearTimeout(timer);
    this.held.delete(group);
    setImmediate(() => this.send(group));
  }

  private send(group: string): void {
    const waiting = this.waiting.get(group);
    this.waiting.delete(group);
    if (!waiting) {
      this.sending.delete(group);
      return;
    }
    this.inFlight.add(group);
    this.sendMany(
      group,
      waiting.map((w) => w.item),
    )
      .then(
        (results) => {
          for (const [i, w] of waiting.entries()) w.resolve(results[i] as R);
        },
        (err: unknown) => {
          for (const w of waiting) w.reject(err);
        },
      )
      .finally(() => {
        this.inFlight.delete(group);
        this.next(group);
      });
  }

  /** After a call: what came meanwhile goes in the next one, held as a first call would be. */
  private next(group: string): void {
    const queue = this.waiting.get(group);
    if (queue) this.sendWhenReady(group, queue);
    else this.sending.delete(group);
  }
}
