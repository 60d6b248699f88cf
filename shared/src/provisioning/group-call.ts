interface Waiting<I, R> {
  item: I;
  sender: string | undefined;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * How long a group's first call may wait for the rest of the items `expected` says are coming (callers
 * of the group already under way, each about to add one): it is sent once they are all waiting, once a
 * sender adds a second item (its callers have come round once: a batch job's next user's finish), or
 * after `ms`, whichever is first.
 */
export interface GroupHold {
  ms: number;
  expected(group: string): number;
}

/**
 * Group calls of one group (an app) to Redis: one is sent at once (after the events of the current turn
 * of the event loop, which may add more), and those that come while it is in flight go together in the
 * next call. Pushes of an app that start or end together so share one script call (and, for finishes,
 * its log append and publish), and none waits for more than the call before it. With a `hold`, a call
 * with fewer items than expected waits a little for the rest. `sendMany` answers one result per item,
 * in order; each item stays atomic and guarded on its own; a call's error fails every item it carried.
 */
export class GroupCall<I, R> {
  private readonly waiting = new Map<string, Waiting<I, R>[]>();
  /** Groups with a call in flight or about to be sent. */
  private readonly sending = new Set<string>();
  /** Groups whose first call is held for more items, with the timer that sends it anyway. */
  private readonly held = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly sendMany: (group: string, items: I[]) => Promise<R[]>,
    private readonly hold?: GroupHold,
  ) {}

  /** `sender`: who adds the item (a batch job), for the hold to tell when its callers came round. */
  call(group: string, item: I, sender?: string): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(group) ?? [];
      const again = sender !== undefined && queue.some((w) => w.sender === sender);
      queue.push({ item, sender, resolve, reject });
      this.waiting.set(group, queue);
      const { hold } = this;
      const complete = !hold || again || queue.length >= hold.expected(group);
      if (this.sending.has(group)) {
        if (complete) this.release(group);
        return;
      }
      this.sending.add(group);
      if (!hold || complete) setImmediate(() => this.send(group));
      else
        this.held.set(
          group,
          setTimeout(() => this.release(group), hold.ms),
        );
    });
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
      .finally(() => this.send(group));
  }
}
