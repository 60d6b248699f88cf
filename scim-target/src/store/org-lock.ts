/**
 * Serialises the writes of one organization inside this process, so read-check-write sequences
 * (userName uniqueness, seat limit, PATCH applied to a copy) never interleave. The target runs
 * as a single process per deployment, which is what makes an in-process lock sufficient.
 */
export class OrgLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(orgId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(orgId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(orgId, tail);
    void tail.then(() => {
      if (this.tails.get(orgId) === tail) this.tails.delete(orgId);
    });
    return result;
  }
}
