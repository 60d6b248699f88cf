/** Exponential backoff with "equal jitter", never sooner than the target's Retry-After, capped at ten minutes. */
export function pushBackoff(
  baseMs: number,
  attemptsMade: number,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 600_000);
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
