/** The last OUTCOME_WINDOW final push outcomes of an app decide whether it "fails most of a large batch". */
export const OUTCOME_WINDOW = 100;
const MIN_SAMPLES = 50;
const FAILURE_RATIO = 0.8;

/** The quarantine reason a window of recent outcomes (newest first, '1' succeeded, '0' failed) calls for, if any. */
export function verdict(recent: string[]): string | null {
  const failed = recent.filter((o) => o === '0').length;
  if (recent.length < MIN_SAMPLES || failed / recent.length < FAILURE_RATIO) return null;
  return `${failed} of the last ${recent.length} pushes failed; pushes are paused until Enable succeeds.`;
}
