import { useState } from 'react';
import type { JournalEntry } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { JsonBlock } from '../components/JsonBlock/JsonBlock.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useOrgRequests } from '../hooks/use-org-requests.ts';
import { useCurrentOrg } from './CalendlyOrgPage.tsx';

/** The request journal: every SCIM request the org received, in order, with its status. */
export function CalendlyRequestsPage() {
  const org = useCurrentOrg();
  const pages = useCursorPages();
  const requests = useOrgRequests(org.id, pages.cursor);
  return (
    <div className="card">
      <h2>Request journal</h2>
      <ErrorMessage error={requests.error} />
      <PagedTable
        className="table journal"
        columns={['Time', 'Request', 'Status']}
        data={requests.data}
        pages={pages}
        empty="No SCIM requests yet."
        // The journal is append-only, so a position on a page is a stable key.
        row={(entry, index) => <JournalRow key={`${pages.page}-${index}`} entry={entry} />}
      />
    </div>
  );
}

function JournalRow({ entry }: { entry: JournalEntry }) {
  const [open, setOpen] = useState(false);
  const hasBody = entry.body !== undefined && entry.body !== null;
  return (
    <>
      <tr>
        <td>{new Date(entry.at).toLocaleTimeString()}</td>
        <td className="mono">
          {hasBody ? (
            <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {entry.method} {entry.path}
            </button>
          ) : (
            `${entry.method} ${entry.path}`
          )}
        </td>
        <td>{entry.status}</td>
      </tr>
      {open && (
        <tr className="detail-row">
          <td colSpan={3}>
            <JsonBlock value={entry.body} label="Request body" />
          </td>
        </tr>
      )}
    </>
  );
}
