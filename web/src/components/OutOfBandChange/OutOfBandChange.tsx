import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { OutOfBandChange as Change } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useOrgUsers } from '../../hooks/use-org-users.ts';
import { ActionButton } from '../ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';
import { SearchBox } from '../SearchBox/SearchBox.tsx';

/**
 * Simulation only: an admin renaming or deactivating a person in Calendly's own screens, behind the
 * identity provider's back, so that "Import from app" finds drift. Real Calendly leaves SCIM-managed
 * people to the IdP (they can be removed only there), which is why People itself offers no such thing.
 */
export function OutOfBandChange({ orgId }: { orgId: string }) {
  const [query, setQuery] = useState('');
  const [scimId, setScimId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const people = useOrgUsers(orgId, query, null);
  const person = people.data?.items.find((p) => p.scimId === scimId);
  const change = useAction((body: Change) => api.target.simulateChange(orgId, scimId, body));
  return (
    <div className="card simulation">
      <h2>Simulation: change a person out of band</h2>
      <p className="warning">
        A simulation, not a Calendly feature: it edits a person as if a Calendly admin had, without SCIM, to
        make drift for an import demo. Nothing is sent to the identity provider.
      </p>
      <SearchBox label="Find a person" placeholder="Search by userName" value={query} onChange={setQuery} />
      <select
        aria-label="Person to change"
        value={scimId}
        onChange={(event) => setScimId(event.target.value)}
      >
        <option value="">Choose a person…</option>
        {people.data?.items.map((p) => (
          <option key={p.scimId} value={p.scimId}>
            {p.userName}
            {p.active ? '' : ' (inactive)'}
          </option>
        ))}
      </select>
      {person && (
        <>
          <label className="field">
            <span>Display name</span>
            <input
              value={displayName}
              placeholder={person.displayName ?? ''}
              onChange={(event) => setDisplayName(event.target.value)}
            />
          </label>
          <p className="toolbar">
            <ActionButton
              action={change}
              variables={{ displayName: displayName.trim() }}
              disabled={!displayName.trim()}
            >
              Rename in Calendly
            </ActionButton>
            <ActionButton action={change} variables={{ active: !person.active }} variant="danger">
              {person.active ? 'Deactivate in Calendly' : 'Reactivate in Calendly'}
            </ActionButton>
          </p>
        </>
      )}
      <ErrorMessage error={people.error} />
    </div>
  );
}
