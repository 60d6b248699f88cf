/**
 * Resolves once the clock reads past `ms` (milliseconds since the epoch), waiting on the clock itself:
 * what is written after it falls in a later millisecond (a later Redis stream id, a lapsed deadline).
 */
export async function untilClockPasses(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setImmediate(resolve));
}
