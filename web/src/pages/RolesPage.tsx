import { useState } from 'react';
import { api } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { PagedChecklist } from '../components/PagedChecklist/PagedChecklist.tsx';
import { Pager } from '../components/Pager/Pager.tsx';
import { SearchBox } from '../components/SearchBox/SearchBox.tsx';
import { localPage } from '../hooks/local-page.ts';
import { useAction } from '../hooks/use-action.ts';
import { useApps } from '../hooks/use-apps.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useRoles } from '../hooks/use-roles.ts';
import { useSearchedPages } from '../hooks/use-searched-pages.ts';
import { useUsers } from '../hooks/use-users.ts';

/** Role cards per page, and rows per page in a card's app and user pickers: a card stays one screen. */
const ROLES_PAGE = 5;
const ROLE_PICKER_PAGE = 10;

/** Roles: a user holding a role that has an app is assigned to that app. */
export function RolesPage() {
  const roles = useRoles();
  const pages = useCursorPages();
  const shown = localPage(roles.data, pages.cursor, ROLES_PAGE);
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
      {shown?.items.map((role) => (
        <RoleCard key={role.id} role={role} />
      ))}
      <Pager pages={pages} nextCursor={shown?.nextCursor} label="Role pages" />
    </section>
  );
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

function RoleCard({ role }: { role: Role }) {
  const apps = useApps();
  const appPages = useCursorPages();
  const { query, setQuery, pages: userPages } = useSearchedPages();
  const users = useUsers(query, userPages.cursor, ROLE_PICKER_PAGE);
  const [appIds, setAppIds] = useState<string[]>(role.appIds ?? []);
  const [userIds, setUserIds] = useState<string[]>(role.userIds ?? []);
  // One Save for both lists: ticks in one list are never dropped by saving the other.
  const save = useAction(async () => {
    await api.roles.setApps(role.id, appIds);
    await api.roles.setUsers(role.id, userIds);
  });
  const unsaved = !sameSet(appIds, role.appIds ?? []) || !sameSet(userIds, role.userIds ?? []);
  const toggle = (list: string[], id: string) =>
    list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
  return (
    <div className="card">
      <h2>{role.name}</h2>
      <div className="two-columns">
        <fieldset className="fieldset">
          <legend>Applications · {appIds.length} selected</legend>
          <PagedChecklist
            label={`${role.name} application pages`}
            data={localPage(apps.data, appPages.cursor, ROLE_PICKER_PAGE)}
            pages={appPages}
            idOf={(app) => app.id}
            textOf={(app) => app.name}
            selected={appIds}
            onToggle={(id) => setAppIds(toggle(appIds, id))}
            empty="No apps yet."
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>Users · {userIds.length} selected</legend>
          <SearchBox
            label={`Search users for ${role.name}`}
            placeholder="Search users"
            value={query}
            onChange={setQuery}
          />
          <PagedChecklist
            label={`${role.name} user pages`}
            data={users.data}
            pages={userPages}
            idOf={(user) => user.id}
            textOf={(user) => user.email}
            selected={userIds}
            onToggle={(id) => setUserIds(toggle(userIds, id))}
            empty="No users on this page."
          />
        </fieldset>
      </div>
      <div className="toolbar">
        <ActionButton action={save} variables={undefined} doneLabel={unsaved ? undefined : 'Role saved'}>
          Save role
        </ActionButton>
        {unsaved && (
          <span className="muted" role="status">
            Unsaved changes
          </span>
        )}
      </div>
    </div>
  );
}
