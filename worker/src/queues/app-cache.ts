import type { AppsStore } from '../../../shared/src/store/apps.store.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';

/** App records kept for a short while per process: every push job reads its app, and apps rarely change. */
export class AppCache {
  private readonly entries = new Map<string, { at: number; app: Promise<AppRecord | null> }>();

  constructor(
    private readonly apps: AppsStore,
    private readonly ttlMs: number,
  ) {}

  find(appId: string): Promise<AppRecord | null> {
    const now = Date.now();
    const entry = this.entries.get(appId);
    if (entry && now - entry.at < this.ttlMs) return entry.app;
    const app = this.apps.find(appId);
    this.entries.set(appId, { at: now, app });
    // A failed read is not kept.
    app.catch(() => this.invalidate(appId));
    return app;
  }

  /** Forgets the app (it changed or went away, as the app events channel says). */
  invalidate(appId: string): void {
    this.entries.delete(appId);
  }
}
