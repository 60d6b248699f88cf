import { useState } from 'react';
import { api } from '../api/client.ts';
import { DIALECTS, type Dialect } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { JsonBlock } from '../components/JsonBlock/JsonBlock.tsx';
import { StateBadge } from '../components/StateBadge/StateBadge.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useCurrentApp } from './AppPage.tsx';

const DIALECT_LABELS: Record<Dialect, string> = {
  onelogin: 'OneLogin (PUT updates)',
  okta: 'Okta',
  entra: 'Microsoft Entra ID (PATCH, capitalised ops)',
  rfc: 'RFC 7644 (PATCH when supported)',
};

/** Configuration: SCIM Base URL, SCIM Bearer Token (write-only), wire dialect, API Connection. */
export function AppConfigurationPage() {
  const app = useCurrentApp();
  const saved = app.configuration;
  const [baseUrl, setBaseUrl] = useState(saved.scimBaseUrl ?? '');
  const [token, setToken] = useState('');
  const [dialect, setDialect] = useState<Dialect>(saved.dialect);
  // The API stores the URL without trailing slashes; compare the same way so a saved form is not dirty.
  const normalizedUrl = baseUrl.trim().replace(/\/+$/, '');
  const dirty = normalizedUrl !== (saved.scimBaseUrl ?? '') || token !== '' || dialect !== saved.dialect;

  const saveConfiguration = () =>
    api.apps.saveConfiguration(app.id, {
      scimBaseUrl: normalizedUrl,
      dialect,
      ...(token ? { scimBearerToken: token.trim() } : {}),
    });
  // Saving stores the connection as untested (the API resets it), so an unchanged form is not sent again.
  const save = useAction(async () => {
    if (dirty) await saveConfiguration();
  });
  const enable = useAction(async () => {
    if (dirty) await saveConfiguration();
    return api.apps.enable(app.id);
  });
  // Enable and Save share these: both clear the token field once the API has it.
  const submit = {
    variables: undefined,
    variant: 'primary',
    onDone: () => setToken(''),
    disabled: !baseUrl,
  } as const;

  return (
    <div className="card">
      <h2>Configuration</h2>
      <fieldset className="fieldset">
        <legend>API Connection</legend>
        <p className="connection">
          <StateBadge state={saved.apiConnection} />
          <ActionButton action={enable} {...submit}>
            Enable
          </ActionButton>
        </p>
        {saved.apiConnection === 'error' && saved.apiConnectionError && !enable.error && (
          <div className="error-message" data-testid="api-connection-error">
            <strong>The target answered:</strong>
            <JsonBlock value={saved.apiConnectionError} />
          </div>
        )}
        <label className="field">
          <span>SCIM Base URL</span>
          <input
            name="scimBaseUrl"
            type="url"
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            placeholder="https://example.com/scim/v2/..."
          />
        </label>
        <label className="field">
          <span>SCIM Bearer Token</span>
          <input
            name="scimBearerToken"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            placeholder={saved.scimBearerToken ? `Saved: ${saved.scimBearerToken}` : 'Paste the token'}
          />
          {saved.scimBearerToken && (
            <span className="hint">
              Saved token: {saved.scimBearerToken}. The token is write-only: paste it again to change the
              configuration.
            </span>
          )}
        </label>
        <label className="field">
          <span>SCIM wire dialect</span>
          <select
            name="dialect"
            value={dialect}
            onChange={(event) => setDialect(event.target.value as Dialect)}
          >
            {DIALECTS.map((d) => (
              <option key={d} value={d}>
                {DIALECT_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <ActionButton action={save} {...submit}>
        Save
      </ActionButton>
      {save.isSuccess && !dirty && (
        <span className="saved" role="status">
          Configuration saved
        </span>
      )}
    </div>
  );
}
