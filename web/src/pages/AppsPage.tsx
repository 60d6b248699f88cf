import { Link } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { SearchBox } from '../components/SearchBox/SearchBox.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { localPage } from '../hooks/local-page.ts';
import { APPS_PAGE, useApps } from '../hooks/use-apps.ts';
import { useSearchedPages } from '../hooks/use-searched-pages.ts';

/** Applications > Applications: the list, searched by name and paged on screen. */
export function AppsPage() {
  const apps = useApps();
  const { query, setQuery, pages } = useSearchedPages();
  const shown = apps.data?.filter((app) => app.name.toLowerCase().includes(query.trim().toLowerCase()));
  return (
    <section>
      <div className="page-head">
        <h1>Applications</h1>
        <Link to="/apps/new" className="btn btn-primary">
          Add App
        </Link>
      </div>
      <SearchBox label="Search apps" placeholder="Search company apps" value={query} onChange={setQuery} />
      <ErrorMessage error={apps.error} />
      {apps.isLoading && <p className="muted">Loading…</p>}
      <PagedTable
        className="table"
        columns={['Name', 'Connector', 'API Connection', 'Provisioning', 'Users']}
        data={localPage(shown, pages.cursor, APPS_PAGE)}
        pages={pages}
        empty={query.trim() ? 'No app matches.' : 'No apps yet: Add App picks one from the catalog.'}
        row={(app) => (
          <tr key={app.id}>
            <td>
              <Link to={`/apps/${app.id}/configuration`}>{app.name}</Link>
            </td>
            <td>{app.connector === 'calendly' ? 'Calendly' : 'SCIM Provisioner'}</td>
            <td>
              <StateBadge state={app.configuration.apiConnection} />
            </td>
            <td>{app.provisioning.enabled ? 'Enabled' : 'Disabled'}</td>
            <td>{app.counts.assigned}</td>
          </tr>
        )}
      />
    </section>
  );
}
