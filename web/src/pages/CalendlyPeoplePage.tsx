import { useState } from 'react';
import { api } from '../api/client.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useOrgUsers } from '../hooks/use-org-users.ts';
import { useCurrentOrg } from './CalendlyOrgPage.tsx';

/** People: who SCIM created, their invitation, and what a login attempt meets. */
export function CalendlyPeoplePage() {
  const org = useCurrentOrg();
  const people = useOrgUsers(org.id);
  const accept = useAction((scimId: string) => api.target.acceptInvitation(org.id, scimId));
  const [userName, setUserName] = useState('');
  const login = useAction((name: string) => api.target.login(org.id, name));
  return (
    <div className="card">
      <h2>People</h2>
      <ErrorMessage error={people.error} />
      <table className="table people">
        <thead>
          <tr>
            <th>User</th>
            <th>Name</th>
            <th>Account</th>
            <th>Invitation</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {people.data?.map((person) => (
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
                {person.invitation === 'pending' && (
                  <ActionButton action={accept} variables={person.scimId}>
                    Accept invitation
                  </ActionButton>
                )}
              </td>
            </tr>
          ))}
          {people.data?.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                Nobody yet: users appear here when OneLogin provisions them.
              </td>
            </tr>
          )}
        </tbody>
      </table>
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
      {login.data && <p className="saved">Logged in as {login.data.userName}.</p>}
      <ErrorMessage error={login.error} />
    </div>
  );
}
