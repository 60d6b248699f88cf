import { LOG_STATUSES, type LogStatus, type LogSummary } from '../../api/types.ts';
import { StateBadge } from '../StateBadge/StateBadge.tsx';

/** Pushes per outcome for the filters other than Status; the chosen status is marked. */
export function OutcomeCounts({
  summary,
  current,
}: {
  summary: LogSummary | undefined;
  current?: LogStatus;
}) {
  if (!summary) return null;
  const shown = LOG_STATUSES.filter((status) => (summary.outcomes[status] ?? 0) > 0);
  return (
    <section className="outcome-counts" aria-label="Pushes by outcome">
      <span>
        <strong data-count="all">{summary.pushes}</strong> {summary.pushes === 1 ? 'push' : 'pushes'}
        {!summary.complete && ` in the newest ${summary.scannedEvents.toLocaleString()} events`}:
      </span>
      {shown.length === 0 && <span className="muted">none yet</span>}
      {shown.map((status) => (
        <span key={status} className={status === current ? 'count current' : 'count'}>
          <StateBadge state={status} /> <span data-count={status}>{summary.outcomes[status]}</span>
        </span>
      ))}
    </section>
  );
}
