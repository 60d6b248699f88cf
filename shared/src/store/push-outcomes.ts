import type { ChainableCommander, Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';

/** The last WINDOW final push outcomes of an app decide whether it "fails most of a large batch". */
const WINDOW = 100;
const MIN_SAMPLES = 50;
const FAILURE_RATIO = 0.8;

/** The quarantine reason a window of recent outcomes (newest first) calls for after a failure, if any. */
export function verdict(recent: string[]): string | null {
  const failed = recent.filter((o) => o === '0').length;
  if (recent.length < MIN_SAMPLES || failed / recent.length < FAILURE_RATIO) return null;
  return `${failed} of the last ${recent.length} pushes failed; pushes are paused until Enable succeeds.`;
}

/** A rolling window of each app's final push outcomes (1 = succeeded, 0 = failed). */
export class PushOutcomes {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /**
   * Queues one outcome on a caller's transaction. A failure also reads the window back (the last reply,
   * to pass to `verdict`); a success needs no verdict, so it spares reading the window.
   */
  recordOn(p: ChainableCommander, appId: string, succeeded: boolean): void {
    const key = this.keys.appOutcomes(appId);
    p.lpush(key, succeeded ? '1' : '0').ltrim(key, 0, WINDOW - 1);
    if (!succeeded) p.lrange(key, 0, -1);
  }

  reset(appId: string): Promise<number> {
    return this.redis.del(this.keys.appOutcomes(appId));
  }
}
