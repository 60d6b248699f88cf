import type { PushProgress as Progress } from '../../hooks/use-push-progress.ts';
import { etaText } from './eta.ts';

type Props = { label: string; progress: Progress; total: number | null; waiting?: number };

/** "Bulk approve: 3 of 10 pushed · 1 failed · about 12 s left", live from the log's stream. */
export function PushProgress({ label, progress, total, waiting = 0 }: Props) {
  const { done, failed, startedAt } = progress;
  const shownDone = total === null ? done : Math.min(done, total);
  const finished = total !== null && shownDone >= total;
  const eta = total === null ? null : etaText(shownDone, total, Date.now() - startedAt);
  return (
    <div className="push-progress" role="status" aria-label={`${label} progress`}>
      <strong>{label}:</strong>{' '}
      {total === 0 ? (
        <span>nothing to push.</span>
      ) : (
        <>
          <span data-progress="done">{shownDone}</span> of <span data-progress="total">{total ?? '…'}</span>{' '}
          pushed
          {failed > 0 && (
            <span className="failed-count">
              {' '}
              · <span data-progress="failed">{failed}</span> failed
            </span>
          )}
          {eta && <span> · {eta}</span>}
          {finished && <span> · done</span>}
        </>
      )}
      {waiting > 0 && <span> · {waiting} wait for approval</span>}
      {total !== null && total > 0 && <progress value={shownDone} max={total} aria-hidden="true" />}
    </div>
  );
}
