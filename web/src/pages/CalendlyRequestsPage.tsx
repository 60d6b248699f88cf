import { useState } from 'react';
import type { JournalEntry } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { JsonBlock } from '../components/JsonBlock/JsonBlock.tsx';
import { useOrgRequests } from '../hooks/use-org-requests.ts';
import { useCurrentOrg } from './CalendlyOrgPage.tsx';

/** The request journal: every SCIM request the org received, in order, with its status. */
export function CalendlyRequestsPage() {
  const org = useCurrentOrg();
  const requests = useOrgRequests(org.id);
  return (
    <div className="card">
      <h2>Request journal</h2>
      <ErrorMessage error={requests.error} />
      <table className="table">
        <thead>
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Request</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {requests.data?.map((entry, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the journal is append-only, so a position is stable
            <JournalRow key={index} index={index + 1} entry={entry} />
          ))}
          {requests.data?.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No SCIM requests yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function JournalRow({ index, entry }: { index: number; entry: JournalEntry }) {
  const [open, setOpen] = useState(false);
  const hasBody = entry.body !== undefined || entry.response !== undefined;
  return (
    <>
      <tr>
        <td>{index}</td>
        <td>{entry.at ? new Date(entry.at).toLocaleTimeString() : ''}</td>
        <td className="mono">
          {hasBody ? (
            <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {entry.method} {entry.path ?? entry.url}
            </button>
          ) : (
            `${entry.method} ${entry.path ?? entry.url ?? ''}`
          )}
        </td>
        <td>{entry.status}</td>
      </tr>
      {open && (
        <tr className="detail-row">
          <td colSpan={4}>
            {entry.body !== undefined && <JsonBlock value={entry.body} label="Request body" />}
            {entry.response !== undefined && <JsonBlock value={entry.response} label="Response body" />}
          </td>
        </tr>
      )}
    </>
  );
}
