import { Link } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { PushChart } from '../components/PushChart/PushChart.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { localPage } from '../hooks/local-page.ts';
import { APPS_PAGE, useApps } from '../hooks/use-apps.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useHealth } from '../hooks/use-health.ts';
import { usePushHistory } from '../hooks/use-push-history.ts';

export function OverviewPage() {
  const apps = useApps();
  const pages = useCursorPages();
  const history = usePushHistory();
  const health = useHealth();
  return (
    <section>
      <div className="page-head">
        <h1>Overview</h1>
        {health.data && (
          <span className="muted" data-testid="health">
            Redis {health.data.redis} · {health.data.workers} worker{health.data.workers === 1 ? '' : 's'}
          </span>
        )}
      </div>
      <ErrorMessage error={health.error} />
      <div className="card">
        <h2>Pushes per minute</h2>
        <ErrorMessage error={history.error} />
        {history.data ? <PushChart buckets={history.data} /> : <p className="muted">Loading…</p>}
      </div>
      <div className="card">
        <h2>Applications</h2>
        <ErrorMessage error={apps.error} />
        {apps.data?.length === 0 && (
          <p>
            No apps yet. <Link to="/apps/new">Add App</Link>
          </p>
        )}
        {apps.data && apps.data.length > 0 && (
          <PagedTable
            className="table"
            columns={['App', 'API Connection', 'Assigned', 'Pending', 'Provisioned', 'Failed']}
            data={localPage(apps.data, pages.cursor, APPS_PAGE)}
            pages={pages}
            empty="No apps on this page."
            row={(app) => (
              <tr key={app.id}>
                <td>
                  <Link to={`/apps/${app.id}/users`}>{app.name}</Link>
                  {app.quarantine && <span className="badge badge-failed"> Quarantined</span>}
                </td>
                <td>
                  <StateBadge state={app.configuration.apiConnection} />
                </td>
                <td>{app.counts.assigned}</td>
                <td>{app.counts.pending}</td>
                <td>{app.counts.provisioned}</td>
                <td>{app.counts.failed}</td>
              </tr>
            )}
          />
        )}
      </div>
    </section>
  );
}
