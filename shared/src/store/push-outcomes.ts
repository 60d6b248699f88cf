import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';

/** The last WINDOW final push outcomes of an app decide whether it "fails most of a large batch". */
const WINDOW = 100;
const MIN_SAMPLES = 50;
const FAILURE_RATIO = 0.8;

/** A rolling window of each app's final push outcomes (1 = succeeded, 0 = failed). */
export class PushOutcomes {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /** Records one outcome; answers a quarantine reason when most of the recent pushes failed. */
  async record(appId: string, succeeded: boolean): Promise<string | null> {
    const key = this.keys.appOutcomes(appId);
    const results = await this.redis
      .multi()
      .lpush(key, succeeded ? '1' : '0')
      .ltrim(key, 0, WINDOW - 1)
      .lrange(key, 0, -1)
      .exec();
    if (succeeded) return null;
    const recent = (results?.[2]?.[1] as string[] | undefined) ?? [];
    const failed = recent.filter((o) => o === '0').length;
    if (recent.length < MIN_SAMPLES || failed / recent.length < FAILURE_RATIO) return null;
    return `${failed} of the last ${recent.length} pushes failed; pushes are paused until Enable succeeds.`;
  }

  reset(appId: string): Promise<number> {
    return this.redis.del(this.keys.appOutcomes(appId));
  }
}
