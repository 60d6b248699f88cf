import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client.ts';
import { download } from '../api/http.ts';
import { LOG_STATUSES, type LogEvent, type LogFilters, TASK_ACTIONS } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { FilterSelect } from '../components/FilterSelect/FilterSelect.tsx';
import { JsonBlock } from '../components/JsonBlock/JsonBlock.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { UserName } from '../components/UserName/UserName.tsx';
import { queryKeys } from '../hooks/query-keys.ts';
import { useApps } from '../hooks/use-apps.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useLogStream } from '../hooks/use-log-stream.ts';
import { LOG_PAGE, useProvisioningLog } from '../hooks/use-provisioning-log.ts';
import { useUser, useUsers } from '../hooks/use-users.ts';

const FILTER_KEYS = ['appId', 'userId', 'action', 'status', 'since', 'until'] as const;
const REFRESH_MS = 1000;
const LIST_FILTERS = [
  {
    key: 'action',
    label: 'Action',
    allLabel: 'All actions',
    options: TASK_ACTIONS.map((action) => [action, action] as const),
  },
  {
    key: 'status',
    label: 'Status',
    allLabel: 'All statuses',
    options: LOG_STATUSES.map((status) => [status, status.replace('_', ' ')] as const),
  },
] as const;
const TIME_BOUNDS = [
  ['From', 'since'],
  ['To', 'until'],
] as const;

/** `datetime-local` values are local time; the API wants ISO 8601 in UTC. */
const toIso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
const toLocal = (iso: string | null): string => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** Users > Provisioning: the provisioning log, filtered, paginated, live, exportable. */
export function ProvisioningLogPage() {
  const [params, setParams] = useSearchParams();
  const filters: LogFilters = Object.fromEntries(
    FILTER_KEYS.flatMap((key) => (params.get(key) ? [[key, params.get(key)]] : [])),
  );
  const filterKey = JSON.stringify(filters);
  const pages = useCursorPages();
  const log = useProvisioningLog(filters, pages.cursor);
  const apps = useApps();
  const appName = (appId: string) => apps.data?.find((app) => app.id === appId)?.name ?? appId;
  const [live, setLive] = useState(true);
  const [exportError, setExportError] = useState<unknown>(null);
  const queryClient = useQueryClient();
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter set starts again at the first page
  useEffect(() => pages.reset(), [filterKey, pages.reset]);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const onEntry = useCallback(() => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = undefined;
      void queryClient.invalidateQueries({ queryKey: queryKeys.log.all });
    }, REFRESH_MS);
  }, [queryClient]);
  const stream = useLogStream(filters.appId, live && pages.page === 1, onEntry);

  const setFilter = (key: (typeof FILTER_KEYS)[number], value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const exportAs = async (format: 'csv' | 'ndjson') => {
    setExportError(null);
    try {
      await download(api.log.exportPath(format, filters), `provisioning-log.${format}`);
    } catch (error) {
      setExportError(error);
    }
  };

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/users">Users</Link> ›
      </p>
      <div className="page-head">
        <h1>Provisioning</h1>
        <span className="toolbar">
          <label className="check">
            <input type="checkbox" checked={live} onChange={(event) => setLive(event.target.checked)} />
            Live
            <span className={`live live-${stream}`}>
              {stream === 'live' ? '● live' : stream === 'connecting' ? '○ connecting' : ''}
            </span>
          </label>
          <button type="button" className="btn btn-secondary" onClick={() => exportAs('csv')}>
            Export CSV
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => exportAs('ndjson')}>
            Export NDJSON
          </button>
        </span>
      </div>
      <ErrorMessage error={exportError} />
      <div className="filters">
        <FilterSelect
          label="App"
          allLabel="All Apps"
          value={filters.appId}
          options={apps.data?.map((app) => [app.id, app.name] as const) ?? []}
          onChange={(appId) => setFilter('appId', appId)}
        />
        <UserFilter userId={filters.userId} onChange={(userId) => setFilter('userId', userId)} />
        {LIST_FILTERS.map(({ key, label, allLabel, options }) => (
          <FilterSelect
            key={key}
            label={label}
            allLabel={allLabel}
            value={filters[key]}
            options={options}
            onChange={(value) => setFilter(key, value)}
          />
        ))}
        {TIME_BOUNDS.map(([label, key]) => (
          <label key={key} className="field inline">
            <span>{label}</span>
            <input
              type="datetime-local"
              value={toLocal(params.get(key))}
              onChange={(event) => setFilter(key, toIso(event.target.value))}
            />
          </label>
        ))}
      </div>
      <ErrorMessage error={log.error} />
      {log.isLoading && <p className="muted">Loading…</p>}
      <PagedTable
        className="table log"
        columns={['Time', 'App', 'User', 'Action', 'Status', 'Message']}
        data={log.data}
        pages={pages}
        empty="No provisioning events match."
        row={(event) => <LogRow key={event.id} event={event} appName={appName(event.appId)} />}
      />
      <p className="muted">{LOG_PAGE} events per page, newest first.</p>
    </section>
  );
}

function LogRow({ event, appName }: { event: LogEvent; appName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr
        data-event={event.id}
        data-action={event.action}
        data-status={event.status}
        data-scim={event.request?.method}
      >
        <td>
          <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {new Date(event.at).toLocaleString()}
          </button>
        </td>
        <td>{appName}</td>
        <td className="wrap">
          <UserName userId={event.userId} />
        </td>
        <td>{event.action}</td>
        <td>
          <StateBadge state={event.status} />
          {event.attempt !== undefined && <span className="muted"> attempt {event.attempt}</span>}
        </td>
        <td className="wrap">
          {event.message}
          {event.actor && <span className="muted"> by {event.actor}</span>}
        </td>
      </tr>
      {open && (
        <tr className="detail-row">
          <td colSpan={6}>
            <div className="two-columns">
              <div>
                <h3>Request</h3>
                {event.request ? (
                  <>
                    <p className="mono">
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
            <p className="muted mono">
              Event {event.id} · task {event.taskId}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}

function UserFilter({
  userId,
  onChange,
}: {
  userId: string | undefined;
  onChange: (userId: string | undefined) => void;
}) {
  const [text, setText] = useState('');
  const users = useUsers(text, null);
  // A filter that came with the URL (e.g. from a user's page) shows whose events these are.
  const current = useUser(userId ?? '');
  return (
    <label className="field inline">
      <span>User</span>
      <input
        list="log-user-options"
        aria-label="User"
        placeholder={userId ? (current.data?.email ?? userId) : 'Email'}
        value={text}
        onChange={(event) => {
          const value = event.target.value;
          setText(value);
          const match = users.data?.items.find((user) => user.email === value);
          if (match) onChange(match.id);
          else if (!value) onChange(undefined);
        }}
      />
      <datalist id="log-user-options">
        {users.data?.items.map((user) => (
          <option key={user.id} value={user.email} />
        ))}
      </datalist>
    </label>
  );
}
