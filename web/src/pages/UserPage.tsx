import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client.ts';
import type { App, AppUser, UserInput } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ConfirmButton } from '../components/ConfirmButton/ConfirmButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { UserForm } from '../components/UserForm/UserForm.tsx';
import { UserRoles } from '../components/UserRoles/UserRoles.tsx';
import { UserStatusButton } from '../components/UserStatusButton/UserStatusButton.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useApps } from '../hooks/use-apps.ts';
import { useUser, useUserAssignments } from '../hooks/use-users.ts';

/** One directory user: edit, suspend or reactivate, delete, and the apps it is assigned to. */
export function UserPage() {
  const { userId = '' } = useParams();
  const navigate = useNavigate();
  const user = useUser(userId);
  const apps = useApps();
  const assignments = useUserAssignments(userId, apps.data);
  const update = useAction((input: UserInput) => api.users.update(userId, input));
  const remove = useAction(() => api.users.remove(userId));
  const assign = useAction((appId: string) => api.appUsers.assign(appId, userId));
  const [appId, setAppId] = useState('');
  const assignedIds = new Set(assignments.data?.map((entry) => entry.app.id));
  const assignable = (apps.data ?? []).filter((app) => !assignedIds.has(app.id));

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/users">Users</Link> ›
      </p>
      <ErrorMessage error={user.error} />
      {user.data && (
        <>
          <div className="page-head">
            <h1>
              {user.data.firstname} {user.data.lastname}
            </h1>
            <StateBadge state={user.data.status} />
            <span className="toolbar">
              <Link to={`/provisioning?userId=${encodeURIComponent(userId)}`}>Provisioning log</Link>
              <UserStatusButton userId={userId} status={user.data.status} />
              <ConfirmButton
                action={remove}
                label="Delete User"
                title="Delete user"
                confirmLabel="Delete"
                variant="danger"
                onDone={() => navigate('/users')}
              >
                Delete {user.data.firstname} {user.data.lastname}? Each assigned app applies its
                deprovisioning action.
              </ConfirmButton>
            </span>
          </div>
          <div className="two-columns">
            <div className="card">
              <h2>User Info</h2>
              <UserForm
                key={user.data.updatedAt}
                initial={{
                  ...user.data,
                  department: user.data.department ?? '',
                  title: user.data.title ?? '',
                }}
                submitLabel="Save User"
                busy={update.isPending}
                onSubmit={(input) => update.mutate(input)}
              />
              <ErrorMessage error={update.error} />
            </div>
            <div className="card">
              <h2>Applications</h2>
              <ErrorMessage error={assignments.error} />
              <table className="table">
                <tbody>
                  {assignments.data?.map(({ app, appUser }) => (
                    <AssignmentRow key={app.id} app={app} appUser={appUser} />
                  ))}
                  {assignments.data?.length === 0 && (
                    <tr>
                      <td className="muted">Not assigned to any app.</td>
                    </tr>
                  )}
                </tbody>
              </table>
              <label className="field inline">
                <span>Assign to app</span>
                <select value={appId} onChange={(event) => setAppId(event.target.value)}>
                  <option value="">Select an app</option>
                  {assignable.map((app) => (
                    <option key={app.id} value={app.id}>
                      {app.name}
                    </option>
                  ))}
                </select>
              </label>
              <ActionButton action={assign} variables={appId} disabled={!appId} onDone={() => setAppId('')}>
                Assign
              </ActionButton>
              <UserRoles userId={userId} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function AssignmentRow({ app, appUser }: { app: App; appUser: AppUser }) {
  const unassign = useAction(() => api.appUsers.unassign(app.id, appUser.userId));
  return (
    <tr>
      <td>
        <Link to={`/apps/${app.id}/users`}>{app.name}</Link>
      </td>
      <td>
        <StateBadge state={appUser.state} />
      </td>
      <td>
        <ConfirmButton action={unassign} label="Remove" title="Remove app access" confirmLabel="Remove">
          Remove {appUser.email} from {app.name}? The app's deprovisioning action applies.
        </ConfirmButton>
      </td>
    </tr>
  );
}
