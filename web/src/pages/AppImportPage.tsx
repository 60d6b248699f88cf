import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.ts';
import type { ImportAction, ImportItem, ImportKind } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { FilterSelect } from '../components/FilterSelect/FilterSelect.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { queryKeys } from '../hooks/query-keys.ts';
import { useAction } from '../hooks/use-action.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useCurrentApp } from './AppPage.tsx';

const KINDS: readonly (readonly [ImportKind, string])[] = [
  ['drifted', 'Drifted'],
  ['unmatched_target', 'Only in the app'],
  ['unmatched_directory', 'Only in the directory'],
  ['matched', 'Matched'],
];
const KIND_LABEL = Object.fromEntries(KINDS) as Record<ImportKind, string>;
const show = (value: unknown) => (value === null || value === undefined ? '(none)' : JSON.stringify(value));

/** Import from app: every account of the target matched to the directory by SCIM username, with drift. */
export function AppImportPage() {
  const app = useCurrentApp();
  const [kind, setKind] = useState<ImportKind | undefined>(undefined);
  const pages = useCursorPages();
  const latest = useQuery({
    queryKey: queryKeys.imports.latest(app.id),
    queryFn: () => api.imports.latest(app.id),
  });
  // The report is asked for only once there is one: before the first import it would answer 404.
  const report = useQuery({
    queryKey: queryKeys.imports.page(app.id, kind ?? 'all', pages.cursor),
    queryFn: () => api.imports.page(app.id, { kind, cursor: pages.cursor, limit: 50 }),
    placeholderData: keepPreviousData,
    retry: false,
    enabled: Boolean(latest.data?.lastImport),
  });
  const run = useAction(() => api.imports.run(app.id));
  const decide = useAction(({ key, action }: { key: string; action: ImportAction }) =>
    api.imports.decide(app.id, key, action),
  );
  const none = latest.data?.lastImport === null;
  const totals = report.data?.totals;
  return (
    <div className="card">
      <h2>Import from app</h2>
      <p className="note">
        Reads every account {app.name} holds (paged SCIM GET) and matches it to the directory by the SCIM
        Username. Link records the account as the user's; Reconcile makes the task that brings it back in line
        with the mapping, through the approval queue; Leave changes nothing.
      </p>
      <p className="toolbar">
        <ActionButton action={run} variables={undefined} variant="primary" onDone={pages.reset}>
          Import from app
        </ActionButton>
      </p>
      {none ? <p className="muted">No import yet.</p> : <ErrorMessage error={latest.error ?? report.error} />}
      {report.data && totals && (
        <>
          <p role="status">
            Imported {new Date(report.data.importedAt).toLocaleString()}: {totals.targetAccounts} accounts,{' '}
            {totals.matched} matched ({totals.drifted} drifted), {totals.unmatchedTarget} only in the app,{' '}
            {totals.unmatchedDirectory} assigned but not in the app.
            {totals.targetReportedTotal !== null && totals.targetReportedTotal > totals.targetAccounts && (
              <span className="warning">
                {' '}
                The app reported {totals.targetReportedTotal} accounts but would not page past{' '}
                {totals.targetAccounts} (it ignores startIndex).
              </span>
            )}
          </p>
          <FilterSelect
            label="Show"
            allLabel="All"
            value={kind}
            options={KINDS}
            onChange={(value) => {
              setKind((value || undefined) as ImportKind | undefined);
              pages.reset();
            }}
          />
          <PagedTable
            className="table import"
            columns={['Account', 'Result', 'Differences', '']}
            data={report.data}
            pages={pages}
            empty="Nothing of this kind."
            row={(item: ImportItem) => (
              <tr key={item.key} data-account={item.userName}>
                <td>
                  {item.userName}
                  {item.active === false && <span className="muted"> (inactive)</span>}
                </td>
                <td>
                  {KIND_LABEL[item.kind]}
                  {item.linked ? ', linked' : ''}
                  {item.userId && !item.assigned ? ', not assigned' : ''}
                </td>
                <td>
                  {item.diffs.map((diff) => (
                    <div key={diff.path} className="mono">
                      {diff.path}: {show(diff.actual)} → {show(diff.expected)}
                    </div>
                  ))}
                </td>
                <td className="row-actions">
                  {item.decision && item.decision.action !== 'leave' ? (
                    <span className="saved">
                      {item.decision.action}: {item.decision.outcome}
                    </span>
                  ) : (
                    <>
                      {item.targetId && item.userId && !item.linked && (
                        <ActionButton action={decide} variables={{ key: item.key, action: 'link' as const }}>
                          Link
                        </ActionButton>
                      )}
                      {item.userId && item.kind !== 'matched' && (
                        <ActionButton
                          action={decide}
                          variables={{ key: item.key, action: 'reconcile' as const }}
                        >
                          Reconcile
                        </ActionButton>
                      )}
                      {item.decision ? (
                        <span className="muted">left</span>
                      ) : (
                        <ActionButton action={decide} variables={{ key: item.key, action: 'leave' as const }}>
                          Leave
                        </ActionButton>
                      )}
                    </>
                  )}
                </td>
              </tr>
            )}
          />
        </>
      )}
    </div>
  );
}
