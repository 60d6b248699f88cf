import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { Pager } from '../components/Pager/Pager.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useCursorPages } from '../hooks/use-cursor-pages.ts';
import { useOrgs } from '../hooks/use-orgs.ts';

/** The Calendly side: the simulated organizations, a page at a time, and a form to add one. */
export function CalendlyOrgsPage() {
  const pages = useCursorPages();
  const orgs = useOrgs(pages.cursor);
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const create = useAction((orgName: string) => api.target.createOrg({ name: orgName }));
  return (
    <section className="calendly">
      <div className="calendly-banner">Calendly · built-in target</div>
      <h1>Organizations</h1>
      <ErrorMessage error={orgs.error} />
      <ul className="org-list">
        {orgs.data?.items.map((org) => (
          <li key={org.id}>
            <Link to={`/calendly/${org.id}`}>{org.name}</Link>
            <span className="muted"> · SCIM {org.scimEnabled ? 'on' : 'off'}</span>
          </li>
        ))}
        {orgs.data?.items.length === 0 && (
          <li className="muted">No organization yet: add one, or use Reset demo.</li>
        )}
      </ul>
      <Pager pages={pages} nextCursor={orgs.data?.nextCursor} />
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(name.trim(), { onSuccess: (org) => navigate(`/calendly/${org.id}`) });
        }}
      >
        <h2>New organization</h2>
        <label className="field">
          <span>Organization name</span>
          <input value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
          Create organization{create.isPending && <span className="spinner" aria-hidden="true" />}
        </button>
        <ErrorMessage error={create.error} />
      </form>
    </section>
  );
}
