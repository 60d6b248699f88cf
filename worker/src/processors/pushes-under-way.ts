/** How many pushes of each app this process is running (for the lifecycle to group their finishes). */
export class PushesUnderWay {
  private readonly counts = new Map<string, number>();

  readonly count = (appId: string): number => this.counts.get(appId) ?? 0;

  async run<T>(appId: string, push: () => Promise<T>): Promise<T> {
    this.counts.set(appId, this.count(appId) + 1);
    try {
      return await push();
    } finally {
      const left = this.count(appId) - 1;
      if (left > 0) this.counts.set(appId, left);
      else this.counts.delete(appId);
    }
  }
}
