import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { oneloginApi } from '../api/onelogin-client.ts';
import {
  APP_USER_STATES,
  type App,
  type AppUserRow,
  type AppUserState,
  type PlanKind,
  type ScimMethod,
  type Task,
} from '../api/types.ts';
import { BulkPlanDialog } from '../components/BulkPlanDialog/BulkPlanDialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { ExternalId } from '../components/ExternalId/ExternalId.tsx';
import { JsonBlock } from '../components/JsonBlock/JsonBlock.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { ProvisionNowButton, ProvisionNowSteps } from '../components/ProvisionNow/ProvisionNow.tsx';
import { PushProgress } from '../components/PushProgress/PushProgress.tsx';
import { RelativeTime } from '../components/RelativeTime/RelativeTime.tsx';
import { RemoveAccess } from '../components/RemoveAccess/RemoveAccess.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useAppUsers } from '../hooks/use-app-users.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { usePushProgress } from '../hooks/use-push-progress.ts';
import { taskTotal, useTasks } from '../hooks/use-tasks.ts';
import { useUsers } from '../hooks/use-users.ts';
import { useCurrentApp } from './AppPage.tsx';

const RUN_LABELS: Record<PlanKind, string> = { 'approve-all': 'Bulk approve', reapply: 'Reapply Mappings' };

/** A bulk change under way: how many pushes it started (null until known) and how many wait for approval. */
type BulkRun = { kind: PlanKind; total: number | null; waiting: number };

/** Users of an app: states, the approval queue, bulk approve and reapply mappings (each planned first), retry. */
export function AppUsersPage() {
  const app = useCurrentApp();
  const [state, setState] = useState<AppUserState | ''>('');
  const pages = useCursorPages();
  const users = useAppUsers(app.id, state || undefined, pages.cursor);
  const pending = useTasks(app.id, 'pending');
  const failed = useTasks(app.id, 'failed');
  const pendingCount = taskTotal(pending.data, app.counts.pending);
  const [planning, setPlanning] = useState<PlanKind | null>(null);
  const [applyOpen, setApplyOpen] = useState(false);
  const [run, setRun] = useState<BulkRun | null>(null);
  const live = usePushProgress(app.id, run !== null);
  const tasksById = new Map((pending.data ?? []).map((task) => [task.id, task]));
  const failedTaskOf = (userId: string) => (failed.data ?? []).find((task) => task.userId === userId);

  return (
    <div className="card">
      <div className="page-head">
        <h2>Users</h2>
        <div className="toolbar">
          <Link to={`/provisioning?appId=${encodeURIComponent(app.id)}`}>Provisioning log</Link>
          {pendingCount > 0 && (
            <button type="button" className="btn btn-primary" onClick={() => setPlanning('approve-all')}>
              Bulk approve {pendingCount} pending
            </button>
          )}
          <span className="menu">
            <button
              type="button"
              className="btn btn-secondary"
              aria-expanded={applyOpen}
              onClick={() => setApplyOpen(!applyOpen)}
            >
              Apply to all ▾
            </button>
            {applyOpen && (
              <span className="menu-items">
                <button
                  type="button"
                  className="menu-item"
                  onClick={() => {
                    setApplyOpen(false);
                    setPlanning('reapply');
                  }}
                >
                  Reapply Mappings
                </button>
              </span>
            )}
          </span>
        </div>
      </div>
      {run && (
        <PushProgress
          label={RUN_LABELS[run.kind]}
          progress={live.progress}
          total={run.total}
          waiting={run.waiting}
        />
      )}
      <div className="filters">
        <label className="field inline">
          <span>State</span>
          <select
            value={state}
            onChange={(event) => {
              setState(event.target.value as AppUserState | '');
              pages.reset();
            }}
          >
            <option value="">All</option>
            {APP_USER_STATES.map((s) => (
              <option key={s} value={s}>
                {s[0]?.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <AssignUser appId={app.id} />
      </div>
      <ErrorMessage error={users.error} />
      <PagedTable
        className="table app-users"
        columns={['User', 'State', 'External ID', 'Updated', 'Actions']}
        data={users.data}
        pages={pages}
        empty={`No users. Assign users to ${app.name} from here or from Users.`}
        row={(user) => (
          <AppUserLine
            key={user.userId}
            app={app}
            user={user}
            task={user.pendingTaskId ? tasksById.get(user.pendingTaskId) : undefined}
            failedTask={user.state === 'failed' ? failedTaskOf(user.userId) : undefined}
          />
        )}
      />
      {planning && (
        <BulkPlanDialog
          appId={app.id}
          kind={planning}
          title={planning === 'approve-all' ? `Bulk approve ${pendingCount} pending` : 'Reapply Mappings'}
          confirmLabel={planning === 'approve-all' ? 'Approve' : 'Reapply'}
          onStart={(plan) => {
            live.reset();
            // Approving pushes every task of the plan; reapply's count is known once it has applied.
            setRun({ kind: plan.kind, total: plan.kind === 'approve-all' ? plan.total : null, waiting: 0 });
          }}
          onApplied={(result) => setRun({ kind: result.kind, total: result.queued, waiting: result.pending })}
          onFailed={() => setRun(null)}
          onClose={() => setPlanning(null)}
        />
      )}
    </div>
  );
}

type RowProps = { app: App; user: AppUserRow; task: Task | undefined; failedTask: Task | undefined };

/** The request line a push would send; the account's id on the target once it is known. */
const requestLine = (method: ScimMethod, externalId: string | null) =>
  `${method} ${method === 'POST' ? '/Users' : `/Users/${externalId ?? '{id}'}`}`;

const COLUMNS = 5;

/** Where the user's access to the app comes from: "direct", "via role Sales", or both. */
const accessSource = (user: AppUserRow): string =>
  [...(user.direct ? ['direct'] : []), ...user.roles.map((role) => `via role ${role.name}`)].join(' · ');

function AppUserLine({ app, user, task, failedTask }: RowProps) {
  const [showPreview, setShowPreview] = useState(false);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const approve = useAction((taskId: string) => api.tasks.approve(app.id, taskId));
  const deny = useAction((taskId: string) => api.tasks.deny(app.id, taskId));
  const retry = useAction((taskId: string) => api.tasks.retry(app.id, taskId));
  const provisionNow = useAction(() => oneloginApi.provisionNow(app.id, user.userId));
  const error = approve.error ?? deny.error ?? retry.error ?? provisionNow.error ?? removeError;
  const button = (label: string, run: () => void, busy: boolean, variant = 'secondary') => (
    <button
      type="button"
      className={`btn btn-${variant} btn-sm`}
      disabled={busy}
      aria-busy={busy}
      onClick={() => {
        setRemoveError(null);
        run();
      }}
    >
      {label}
      {busy && <span className="spinner" aria-hidden="true" />}
    </button>
  );
  return (
    <>
      <tr data-user={user.email}>
        <td className="user-cell">
          <Link className="user-name" to={`/users/${user.userId}`}>
            {user.name ?? user.email}
          </Link>
          <span className="sub">
            {user.name && <span className="email">{user.email}</span>}
            {accessSource(user) && <span className="source">{accessSource(user)}</span>}
          </span>
        </td>
        <td>
          <StateBadge state={user.state} />
          {task && (
            <button
              type="button"
              className="link-button sub"
              aria-expanded={showPreview}
              onClick={() => setShowPreview(!showPreview)}
            >
              Preview {task.action}
            </button>
          )}
        </td>
        <td>
          <ExternalId id={user.externalId} />
        </td>
        <td>
          <RelativeTime at={user.updatedAt} />
        </td>
        <td>
          <span className="action-bar">
            {user.pendingTaskId && (
              <>
                {button(
                  'Approve',
                  () => approve.mutate(user.pendingTaskId ?? ''),
                  approve.isPending,
                  'primary',
                )}
                {button('Deny', () => deny.mutate(user.pendingTaskId ?? ''), deny.isPending)}
              </>
            )}
            {failedTask && button('Retry', () => retry.mutate(failedTask.id), retry.isPending)}
            {/* A pending row has Approve; Provision now is for a user with nothing awaiting approval. */}
            {app.provisioning.enabled && !user.pendingTaskId && <ProvisionNowButton run={provisionNow} />}
            <RemoveAccess app={app} user={user} onError={setRemoveError} />
          </span>
        </td>
      </tr>
      {error !== null && error !== undefined && (
        <tr className="detail-row">
          <td colSpan={COLUMNS}>
            <ErrorMessage error={error} />
          </td>
        </tr>
      )}
      {provisionNow.data && (
        <tr className="detail-row">
          <td colSpan={COLUMNS}>
            <ProvisionNowSteps result={provisionNow.data} />
          </td>
        </tr>
      )}
      {showPreview && user.pendingTaskId && (
        <tr className="detail-row">
          <td colSpan={COLUMNS}>
            <strong>SCIM request that would be sent ({task?.action ?? 'pending'}):</strong>
            {task === undefined && <p className="muted">Loading…</p>}
            {task && (
              <p className="mono" data-label="SCIM request">
                {requestLine(task.method, user.externalId)}
              </p>
            )}
            {task && task.preview === null && <p>No body: a DELETE of the account on the target.</p>}
            {task && task.preview !== null && <JsonBlock value={task.preview} label="SCIM preview" />}
          </td>
        </tr>
      )}
      {user.lastError !== null && user.lastError !== undefined && user.lastError !== '' && (
        <tr className="detail-row">
          <td colSpan={COLUMNS}>
            <strong>Last error:</strong>
            <JsonBlock value={user.lastError} label="Last error" />
          </td>
        </tr>
      )}
    </>
  );
}

function AssignUser({ appId }: { appId: string }) {
  const [query, setQuery] = useState('');
  const [userId, setUserId] = useState('');
  const users = useUsers(query, null);
  const assign = useAction((id: string) => api.appUsers.assign(appId, id));
  return (
    <form
      className="assign"
      onSubmit={(event) => {
        event.preventDefault();
        // Cleared only if still the one assigned: the admin may already have picked the next user.
        if (userId)
          assign.mutate(userId, {
            onSuccess: (_, assigned) => setUserId((now) => (now === assigned ? '' : now)),
          });
      }}
    >
      <label className="field inline">
        <span>Find user</span>
        <input
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Name or email"
        />
      </label>
      <label className="field inline">
        <span>User</span>
        <select
          aria-label="User to assign"
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
        >
          <option value="">Select a user</option>
          {users.data?.items.map((user) => (
            <option key={user.id} value={user.id}>
              {user.firstname} {user.lastname} ({user.email})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-secondary" disabled={!userId || assign.isPending}>
        Assign to app{assign.isPending && <span className="spinner" aria-hidden="true" />}
      </button>
      <ErrorMessage error={assign.error} />
    </form>
  );
}
