import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import type { DirectoryUser, UserInput } from '../api/types.ts';
import { ConfirmButton } from '../components/ConfirmButton/ConfirmButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { SearchBox } from '../components/SearchBox/SearchBox.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { UserForm } from '../components/UserForm/UserForm.tsx';
import { UserStatusButton } from '../components/UserStatusButton/UserStatusButton.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useSearchedPages } from '../hooks/use-searched-pages.ts';
import { useUsers } from '../hooks/use-users.ts';

/** Users: the directory, with search, New User, and per-user status actions. */
export function UsersPage() {
  const { query, setQuery, pages } = useSearchedPages();
  const users = useUsers(query, pages.cursor);
  const [creating, setCreating] = useState(false);
  const create = useAction((input: UserInput) => api.users.create(input));
  return (
    <section>
      <div className="page-head">
        <h1>Users</h1>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setCreating(!creating)}
          aria-expanded={creating}
        >
          New User
        </button>
      </div>
      {creating && (
        <div className="card">
          <h2>New User</h2>
          <UserForm
            submitLabel="Save User"
            busy={create.isPending}
            onSubmit={(input) => create.mutate(input, { onSuccess: () => setCreating(false) })}
          />
          <ErrorMessage error={create.error} />
        </div>
      )}
      <SearchBox label="Search users" placeholder="Search users" value={query} onChange={setQuery} />
      <ErrorMessage error={users.error} />
      <PagedTable
        className="table"
        columns={['Name', 'Email', 'Department', 'Status', 'Actions']}
        data={users.data}
        pages={pages}
        empty="No users."
        row={(user) => <UserRow key={user.id} user={user} />}
      />
    </section>
  );
}

function UserRow({ user }: { user: DirectoryUser }) {
  const remove = useAction(() => api.users.remove(user.id));
  return (
    <tr data-user={user.email}>
      <td>
        <Link to={`/users/${user.id}`}>
          {user.firstname} {user.lastname}
        </Link>
      </td>
      <td>{user.email}</td>
      <td>{user.department ?? ''}</td>
      <td>
        <StateBadge state={user.status} />
      </td>
      <td className="row-actions">
        <UserStatusButton userId={user.id} status={user.status} />
        <ConfirmButton action={remove} label="Delete" title="Delete user" confirmLabel="Delete">
          Delete {user.firstname} {user.lastname}? Each assigned app applies its deprovisioning action.
        </ConfirmButton>
      </td>
    </tr>
  );
}
