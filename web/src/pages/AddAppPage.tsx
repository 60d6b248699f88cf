import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import type { Connector } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { SearchBox } from '../components/SearchBox/SearchBox.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useConnectors } from '../hooks/use-connectors.ts';

/** Add App: the catalog (Calendly, SCIM Provisioner), searchable, then a display name. */
export function AddAppPage() {
  const connectors = useConnectors();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<Connector | null>(null);
  const [name, setName] = useState('');
  const create = useAction((input: { connector: Connector; name: string }) =>
    api.apps.create(input.connector.id, input.name),
  );
  const shown = (connectors.data ?? []).filter((c) =>
    c.name.toLowerCase().includes(search.trim().toLowerCase()),
  );
  return (
    <section>
      <h1>Find Applications</h1>
      <SearchBox
        label="Search the catalog"
        placeholder="Search the catalog"
        value={search}
        onChange={setSearch}
      />
      <ErrorMessage error={connectors.error} />
      <ul className="catalog">
        {shown.map((connector) => (
          <li key={connector.id}>
            <button
              type="button"
              className={`catalog-item${chosen?.id === connector.id ? ' chosen' : ''}`}
              onClick={() => {
                setChosen(connector);
                setName(connector.name);
              }}
            >
              <strong>{connector.name}</strong>
              <span className="muted">
                {connector.customAttributes
                  ? 'SCIM provisioning with custom attributes'
                  : 'Catalog app with SCIM provisioning'}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {chosen && (
        <form
          className="card"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate(
              { connector: chosen, name: name.trim() },
              { onSuccess: (app) => navigate(`/apps/${app.id}/configuration`) },
            );
          }}
        >
          <h2>Add {chosen.name}</h2>
          <label className="field">
            <span>Display Name</span>
            <input value={name} onChange={(event) => setName(event.target.value)} required />
          </label>
          <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
            Save{create.isPending && <span className="spinner" aria-hidden="true" />}
          </button>
          <ErrorMessage error={create.error} />
        </form>
      )}
    </section>
  );
}
