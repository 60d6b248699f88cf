import type { LogEvent } from '../../api/types.ts';
import { JsonBlock } from '../JsonBlock/JsonBlock.tsx';

/** One step's SCIM request and the target's response, side by side (stacked on a narrow screen). */
export function LogExchange({ event }: { event: LogEvent }) {
  return (
    <div className="two-columns exchange">
      <div>
        <h3>Request</h3>
        {event.request ? (
          <>
            <p className="mono request-line">
              {event.request.method} {event.request.url}
            </p>
            {event.request.body !== undefined && (
              <JsonBlock value={event.request.body} label="Request body" />
            )}
          </>
        ) : (
          <p className="muted">No SCIM request for this step.</p>
        )}
      </div>
      <div>
        <h3>Response</h3>
        {event.response ? (
          <>
            <p className="mono">
              {event.response.status}
              {event.durationMs !== undefined && ` · ${event.durationMs} ms`}
            </p>
            {event.response.body !== undefined && (
              <JsonBlock value={event.response.body} label="Response body" />
            )}
          </>
        ) : (
          <p className="muted">No response for this step.</p>
        )}
      </div>
    </div>
  );
}
