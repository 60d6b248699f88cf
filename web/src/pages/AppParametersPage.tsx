import { useState } from 'react';
import { api } from '../api/client.ts';
import type { CustomParameter, ScimUsernameSource } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ScimTemplateEditor } from '../components/ScimTemplateEditor/ScimTemplateEditor.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useCurrentApp } from './AppPage.tsx';

// A custom field is named `custom.<field>`; the list only suggests, any source the API accepts can be typed.
const USER_FIELDS = ['email', 'username', 'firstname', 'lastname', 'department', 'title', 'custom.'];

/** Parameters: SCIM Username with its Value; custom parameters on the generic app only. */
export function AppParametersPage() {
  const app = useCurrentApp();
  const [scimUsername, setScimUsername] = useState<ScimUsernameSource | ''>(
    app.parameters.scimUsername ?? '',
  );
  const [custom, setCustom] = useState<CustomParameter[]>(app.parameters.custom);
  const isCatalog = app.connector === 'calendly';
  const save = useAction(() =>
    api.apps.saveParameters(app.id, { scimUsername: scimUsername || null, ...(isCatalog ? {} : { custom }) }),
  );
  const update = (index: number, patch: Partial<CustomParameter>) =>
    setCustom((rows) => rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <div className="card">
      <h2>Parameters</h2>
      <table className="table">
        <thead>
          <tr>
            <th>{app.name} Field</th>
            <th>Value</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <label htmlFor="scim-username">SCIM Username</label>
            </td>
            <td>
              <select
                id="scim-username"
                value={scimUsername}
                onChange={(event) => setScimUsername(event.target.value as ScimUsernameSource | '')}
              >
                <option value="">- No default -</option>
                <option value="email">Email</option>
                <option value="username">Username</option>
              </select>
            </td>
          </tr>
        </tbody>
      </table>
      <h3>Custom parameters</h3>
      {isCatalog ? (
        <p className="note">
          OneLogin does not support custom attributes for catalog applications such as Calendly, so this app
          sends only userName, displayName, active and externalId. To map a user field (e.g. department) to a
          SCIM attribute or a Calendly group, add the SCIM Provisioner app instead.
        </p>
      ) : (
        <>
          <table className="table params">
            <thead>
              <tr>
                <th>Name</th>
                <th>Source (user field)</th>
                <th>Target (SCIM attribute or group)</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {custom.map((row, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved and are edited in place
                <tr key={index}>
                  <td>
                    <input
                      aria-label="Name"
                      value={row.name}
                      onChange={(e) => update(index, { name: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="Source"
                      list="user-field-options"
                      value={row.source}
                      onChange={(e) => update(index, { source: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label="Target"
                      list="target-options"
                      placeholder="groups, title, urn:…:User:department"
                      value={row.target}
                      onChange={(e) => update(index, { target: e.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost"
                      onClick={() => setCustom((rows) => rows.filter((_, i) => i !== index))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <datalist id="user-field-options">
            {USER_FIELDS.map((field) => (
              <option key={field} value={field} />
            ))}
          </datalist>
          <datalist id="target-options">
            <option value="groups">A Calendly group named after the value</option>
            <option value="title" />
            <option value="urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" />
            <option value="urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter" />
          </datalist>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => setCustom((rows) => [...rows, { name: '', source: 'department', target: '' }])}
          >
            Add parameter
          </button>
        </>
      )}
      <p>
        <ActionButton action={save} variables={undefined} variant="primary">
          Save
        </ActionButton>
        {save.isSuccess && <span className="saved">Saved</span>}
      </p>
      {!isCatalog && <ScimTemplateEditor app={app} />}
    </div>
  );
}
