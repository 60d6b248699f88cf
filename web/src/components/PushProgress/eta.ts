/** Time left at the pace so far, in words ("about 12 s left"); null until one push has ended. */
export function etaText(done: number, total: number, elapsedMs: number): string | null {
  if (done === 0 || done >= total) return null;
  const leftMs = (elapsedMs / done) * (total - done);
  if (leftMs < 1000) return 'under a second left';
  const seconds = Math.round(leftMs / 1000);
  return seconds < 90 ? `about ${seconds} s left` : `about ${Math.round(seconds / 60)} min left`;
}
