import { useState } from 'react';
import type { WithLogUser } from '../../../../shared/src/types/log-pushes.ts';
import type { LogEvent } from '../../api/types.ts';
import { LogExchange } from '../LogExchange/LogExchange.tsx';
import { RelativeTime } from '../RelativeTime/RelativeTime.tsx';
import { StateBadge } from '../StateBadge/StateBadge.tsx';
import { UserName } from '../UserName/UserName.tsx';

export const EVENT_COLUMNS = ['Time', 'App', 'User', 'Action', 'Status', 'Message'] as const;

/** A raw log event (the 'Raw events' view): one step of one push, opening its request and response. */
export function LogEventRow({ event, appName }: { event: WithLogUser<LogEvent>; appName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr
        data-event={event.id}
        data-action={event.action}
        data-status={event.status}
        data-scim={event.request?.method}
        data-user-id={event.userId}
      >
        <td>
          <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
            <RelativeTime at={event.at} />
          </button>
        </td>
        <td>{appName}</td>
        <td className="wrap">
          <UserName userId={event.userId} user={event.user} />
        </td>
        <td>{event.action}</td>
        <td>
          <StateBadge state={event.status} />
          {event.attempt !== undefined && <span className="sub">attempt {event.attempt}</span>}
        </td>
        <td className="wrap">
          {event.message}
          {event.actor && <span className="muted"> by {event.actor}</span>}
        </td>
      </tr>
      {open && (
        <tr className="detail-row">
          <td colSpan={EVENT_COLUMNS.length}>
            <LogExchange event={event} />
            <p className="muted mono">
              Event {event.id} · task {event.taskId}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}
