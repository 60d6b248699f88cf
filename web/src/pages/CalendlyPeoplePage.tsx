import { useState } from 'react';
import { api } from '../api/client.ts';
import { ApiError } from '../api/http.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { PagedTable } from '../components/PagedTable/PagedTable.tsx';
import { SearchBox } from '../components/SearchBox/SearchBox.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useOrgUsers } from '../hooks/use-org-users.ts';
import { useSearchedPages } from '../hooks/use-searched-pages.ts';
import { useCurrentOrg } from './CalendlyOrgPage.tsx';

/** People: who SCIM created (paged, searchable by userName), their invitation, and what a login attempt meets. */
export function CalendlyPeoplePage() {
  const org = useCurrentOrg();
  const { query, setQuery, pages } = useSearchedPages();
  const people = useOrgUsers(org.id, query, pages.cursor);
  const accept = useAction((scimId: string) => api.target.acceptInvitation(org.id, scimId));
  const [userName, setUserName] = useState('');
  const login = useAction((name: string) => api.target.attemptLogin(org.id, name));
  const attempt = login.data;
  return (
    <div className="card">
      <h2>People</h2>
      <ErrorMessage error={people.error} />
      <SearchBox label="Search people" placeholder="Search by userName" value={query} onChange={setQuery} />
      <PagedTable
        className="table people"
        columns={['User', 'Name', 'Account', 'Invitation', 'Actions']}
        data={people.data}
        pages={pages}
        empty={query ? 'Nobody matches.' : 'Nobody yet: users appear here when OneLogin provisions them.'}
        row={(person) => (
          <tr key={person.scimId} data-user={person.userName}>
            <td>{person.userName}</td>
            <td>{person.displayName ?? ''}</td>
            <td>
              <StateBadge state={person.active ? 'active' : 'suspended'} />
            </td>
            <td>
              <StateBadge state={person.invitation} />
            </td>
            <td>
              {person.invitation === 'pending' && person.active && (
                <ActionButton action={accept} variables={person.scimId}>
                  Accept invitation
                </ActionButton>
              )}
            </td>
          </tr>
        )}
      />
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          login.mutate(userName.trim());
        }}
      >
        <label className="field inline">
          <span>Try to log in as</span>
          <input
            value={userName}
            onChange={(event) => setUserName(event.target.value)}
            placeholder="userName"
          />
        </label>
        <button type="submit" className="btn btn-secondary" disabled={!userName.trim() || login.isPending}>
          Log in
        </button>
      </form>
      {attempt?.allowed && <p className="saved">Logged in as {attempt.userName}.</p>}
      <ErrorMessage
        error={
          login.error ??
          (attempt && !attempt.allowed ? new ApiError(403, attempt.code, attempt.message) : null)
        }
      />
    </div>
  );
}
