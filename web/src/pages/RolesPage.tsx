import { useState } from 'react';
import { api } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useApps } from '../hooks/use-apps.ts';
import { useRoles } from '../hooks/use-roles.ts';
import { useUsers } from '../hooks/use-users.ts';

/** Roles: a user holding a role that has an app is assigned to that app. */
export function RolesPage() {
  const roles = useRoles();
  const [name, setName] = useState('');
  const create = useAction((roleName: string) => api.roles.create(roleName));
  return (
    <section>
      <h1>Roles</h1>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(name.trim(), { onSuccess: () => setName('') });
        }}
      >
        <label className="field inline">
          <span>New role</span>
          <input value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!name.trim() || create.isPending}>
          Save
        </button>
      </form>
      <ErrorMessage error={create.error ?? roles.error} />
      {roles.data?.map((role) => (
        <RoleCard key={role.id} role={role} />
      ))}
    </section>
  );
}

function RoleCard({ role }: { role: Role }) {
  const apps = useApps();
  const users = useUsers('', null);
  const [appIds, setAppIds] = useState<string[]>(role.appIds ?? []);
  const [userIds, setUserIds] = useState<string[]>(role.userIds ?? []);
  const saveApps = useAction(() => api.roles.setApps(role.id, appIds));
  const saveUsers = useAction(() => api.roles.setUsers(role.id, userIds));
  const toggle = (list: string[], id: string) =>
    list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
  return (
    <div className="card">
      <h2>{role.name}</h2>
      <div className="two-columns">
        <fieldset className="fieldset">
          <legend>Applications</legend>
          {apps.data?.map((app) => (
            <label className="check" key={app.id}>
              <input
                type="checkbox"
                checked={appIds.includes(app.id)}
                onChange={() => setAppIds(toggle(appIds, app.id))}
              />
              {app.name}
            </label>
          ))}
          <ActionButton action={saveApps} variables={undefined} doneLabel="Applications saved">
            Save applications
          </ActionButton>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Users</legend>
          {users.data?.items.map((user) => (
            <label className="check" key={user.id}>
              <input
                type="checkbox"
                checked={userIds.includes(user.id)}
                onChange={() => setUserIds(toggle(userIds, user.id))}
              />
              {user.email}
            </label>
          ))}
          <ActionButton action={saveUsers} variables={undefined} doneLabel="Users saved">
            Save users
          </ActionButton>
        </fieldset>
      </div>
    </div>
  );
}
