import type { CommitResult, Committer, Transition } from './transition.ts';

interface Waiting {
  transition: Transition;
  resolve(result: CommitResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit of an app's transitions: one is sent at once (after the events of the current turn of
 * the event loop, which may add more), and those that come while it is in flight go together in the
 * next call. Pushes of an app that end together so share one script call, its log append (one index
 * entry per index stream) and its publish, and none waits for more than the call before it. Each
 * transition stays atomic and guarded on its own; a call's error fails every transition it carried.
 */
export class GroupCommit {
  private readonly waiting = new Map<string, Waiting[]>();
  /** Apps with a call in flight or about to be sent. */
  private readonly sending = new Set<string>();

  constructor(private readonly committer: Committer) {}

  commit(transition: Transition): Promise<CommitResult> {
    const app = transition.routingKey;
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(app);
      if (queue) queue.push({ transition, resolve, reject });
      else this.waiting.set(app, [{ transition, resolve, reject }]);
      if (this.sending.has(app)) return;
      this.sending.add(app);
      setImmediate(() => this.send(app));
    });
  }

  private send(app: string): void {
    const group = this.waiting.get(app);
    this.waiting.delete(app);
    if (!group) {
      this.sending.delete(app);
      return;
    }
    this.committer
      .commitMany(group.map((w) => w.transition))
      .then(
        (results) => {
          for (const [i, w] of group.entries()) w.resolve(results[i] as CommitResult);
        },
        (err: unknown) => {
          for (const w of group) w.reject(err);
        },
      )
      .finally(() => this.send(app));
  }
}
