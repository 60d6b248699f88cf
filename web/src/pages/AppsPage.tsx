import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { SearchBox } from '../components/SearchBox/SearchBox.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { useApps } from '../hooks/use-apps.ts';

/** Applications > Applications: the list, with search. */
export function AppsPage() {
  const apps = useApps();
  const [search, setSearch] = useState('');
  const shown = (apps.data ?? []).filter((app) =>
    app.name.toLowerCase().includes(search.trim().toLowerCase()),
  );
  return (
    <section>
      <div className="page-head">
        <h1>Applications</h1>
        <Link to="/apps/new" className="btn btn-primary">
          Add App
        </Link>
      </div>
      <SearchBox label="Search apps" placeholder="Search company apps" value={search} onChange={setSearch} />
      <ErrorMessage error={apps.error} />
      {apps.isLoading && <p className="muted">Loading…</p>}
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Connector</th>
            <th>API Connection</th>
            <th>Provisioning</th>
            <th>Users</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((app) => (
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
          ))}
          {apps.data && shown.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No app matches.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
