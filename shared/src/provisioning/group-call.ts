interface Waiting<I, R> {
  item: I;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Group calls of one group (an app) to Redis: one is sent at once (after the events of the current turn
 * of the event loop, which may add more), and those that come while it is in flight go together in the
 * next call. Pushes of an app that start or end together so share one script call (and, for finishes,
 * its log append and publish), and none waits for more than the call before it. `sendMany` answers one
 * result per item, in order; each item stays atomic and guarded on its own; a call's error fails every
 * item it carried.
 */
export class GroupCall<I, R> {
  private readonly waiting = new Map<string, Waiting<I, R>[]>();
  /** Groups with a call in flight or about to be sent. */
  private readonly sending = new Set<string>();

  constructor(private readonly sendMany: (group: string, items: I[]) => Promise<R[]>) {}

  call(group: string, item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(group);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(group, [{ item, resolve, reject }]);
      if (this.sending.has(group)) return;
      this.sending.add(group);
      setImmediate(() => this.send(group));
    });
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
