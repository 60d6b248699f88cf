import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client.ts';
import { download } from '../api/http.ts';
import { LOG_STATUSES, type LogFilters, TASK_ACTIONS } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { FilterSelect } from '../components/FilterSelect/FilterSelect.tsx';
import { EVENT_COLUMNS, LogEventRow } from '../components/LogEventRow/LogEventRow.tsx';
import { LogPushRow, PUSH_COLUMNS } from '../components/LogPushRow/LogPushRow.tsx';
import { LogUserFilter } from '../components/LogUserFilter/LogUserFilter.tsx';
import { OutcomeCounts } from '../components/OutcomeCounts/OutcomeCounts.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { queryKeys } from '../hooks/query-keys.ts';
import { useApps } from '../hooks/use-apps.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useLogStream } from '../hooks/use-log-stream.ts';
import { useLogSummary } from '../hooks/use-log-summary.ts';
import { LOG_PAGE, PUSH_PAGE, useLogPushes, useProvisioningLog } from '../hooks/use-provisioning-log.ts';

const FILTER_KEYS = ['appId', 'userId', 'action', 'status', 'since', 'until'] as const;
/** The URL's switch to the raw events, one row per step. */
const RAW = 'raw';
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
  const raw = params.get(RAW) === '1';
  const pages = useCursorPages();
  const events = useProvisioningLog(filters, pages.cursor, raw);
  const pushes = useLogPushes(filters, pages.cursor, !raw);
  const log = raw ? events : pushes;
  const { status: _status, ...withoutStatus } = filters;
  const summary = useLogSummary(withoutStatus);
  const apps = useApps();
  const appName = (appId: string) => apps.data?.find((app) => app.id === appId)?.name ?? appId;
  const [live, setLive] = useState(true);
  const [exportError, setExportError] = useState<unknown>(null);
  const queryClient = useQueryClient();
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter set, or the other view, starts again at the first page
  useEffect(() => pages.reset(), [filterKey, raw, pages.reset]);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const onEntry = useCallback(() => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = undefined;
      void queryClient.invalidateQueries({ queryKey: queryKeys.log.all });
    }, REFRESH_MS);
  }, [queryClient]);
  const stream = useLogStream(filters.appId, live && pages.page === 1, onEntry);

  const setFilter = (key: (typeof FILTER_KEYS)[number] | typeof RAW, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const setUserFilter = useCallback(
    (userId: string | undefined) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (userId) next.set('userId', userId);
          else next.delete('userId');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
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
        <LogUserFilter userId={filters.userId} onChange={setUserFilter} />
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
      <OutcomeCounts summary={summary.data} current={filters.status} />
      <label className="check raw-toggle">
        <input
          type="checkbox"
          checked={raw}
          onChange={(event) => setFilter(RAW, event.target.checked ? '1' : undefined)}
        />
        Raw events (one row per step)
      </label>
      <ErrorMessage error={log.error ?? summary.error} />
      {log.isLoading && <p className="muted">Loading…</p>}
      {raw ? (
        <PagedTable
          className="table log"
          columns={EVENT_COLUMNS}
          data={events.data}
          pages={pages}
          empty="No provisioning events match."
          row={(event) => <LogEventRow key={event.id} event={event} appName={appName(event.appId)} />}
        />
      ) : (
        <PagedTable
          className="table log pushes"
          columns={PUSH_COLUMNS}
          data={pushes.data}
          pages={pages}
          empty="No pushes match."
          row={(push) => <LogPushRow key={push.taskId} push={push} appName={appName(push.appId)} />}
        />
      )}
      <p className="muted">
        {raw
          ? `${LOG_PAGE} events per page, newest first.`
          : `${PUSH_PAGE} pushes per page, newest first; each push (a task: decision, lookup, write, outcome) is one row with all its steps.`}
      </p>
    </section>
  );
}
