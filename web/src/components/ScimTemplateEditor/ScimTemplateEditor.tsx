import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  DEFAULT_SCIM_JSON_TEMPLATE,
  OTHER_MACROS,
  USER_MACROS,
} from '../../../../shared/src/mapping/scim-template-macros.ts';
import { api } from '../../api/client.ts';
import type { ApiError } from '../../api/http.ts';
import type { App, ScimTemplatePreview } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useUsers } from '../../hooks/use-users.ts';
import { ActionButton } from '../ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';
import { JsonBlock } from '../JsonBlock/JsonBlock.tsx';
import { SearchBox } from '../SearchBox/SearchBox.tsx';

const MACROS = [...USER_MACROS.map((name) => `{$user.${name}}`), ...OTHER_MACROS];

/**
 * The SCIM Provisioner's SCIM JSON Template: edited as text, previewed against a chosen directory user
 * before it is saved (the API names the line, column and JSON path of a problem), then saved.
 */
export function ScimTemplateEditor({ app }: { app: App }) {
  const saved = app.parameters.scimJsonTemplate ?? '';
  const [text, setText] = useState(saved);
  const [query, setQuery] = useState('');
  const [userId, setUserId] = useState('');
  const users = useUsers(query, null, 10);
  const save = useAction(() => api.apps.saveScimTemplate(app.id, text.trim() ? text : null));
  const preview = useMutation<ScimTemplatePreview, ApiError, void>({
    mutationFn: () =>
      api.apps.previewScimTemplate(app.id, { userId, scimJsonTemplate: text.trim() ? text : null }),
  });
  return (
    <section className="template-editor">
      <h3>SCIM JSON Template</h3>
      <p className="note">
        The user resource this app sends, in OneLogin's macro syntax. Empty: the built-in mapping (core and
        enterprise schema). <code>active</code> always follows the user's status; custom parameters feed{' '}
        <code>{'{$parameters.<name>}'}</code> and those targeting <code>groups</code> still set group
        membership. Saving does not push: use Apply to all &gt; Reapply Mappings.
      </p>
      <details>
        <summary>Macros</summary>
        <p className="mono">{MACROS.join('  ')}</p>
      </details>
      <textarea
        aria-label="SCIM JSON Template"
        className="mono"
        style={{ width: '100%' }}
        rows={18}
        spellCheck={false}
        value={text}
        placeholder="(built-in mapping)"
        onChange={(event) => setText(event.target.value)}
      />
      <p className="toolbar">
        <button type="button" className="btn btn-ghost" onClick={() => setText(DEFAULT_SCIM_JSON_TEMPLATE)}>
          Insert OneLogin's default
        </button>
        <ActionButton action={save} variables={undefined} variant="primary" doneLabel="Saved">
          Save template
        </ActionButton>
      </p>
      <h4>Preview</h4>
      <div className="inline-form">
        <SearchBox
          label="Find a user to preview"
          placeholder="Search users"
          value={query}
          onChange={setQuery}
        />
        <select aria-label="Preview as" value={userId} onChange={(event) => setUserId(event.target.value)}>
          <option value="">Choose a user…</option>
          {users.data?.items.map((user) => (
            <option key={user.id} value={user.id}>
              {user.firstname} {user.lastname} ({user.email})
            </option>
          ))}
        </select>
        <ActionButton action={preview} variables={undefined} disabled={!userId}>
          Preview
        </ActionButton>
      </div>
      {preview.data && !preview.isPending && (
        <>
          <JsonBlock label="SCIM user" value={preview.data.resource} />
          <p>
            Groups:{' '}
            {preview.data.groups.length > 0 ? (
              preview.data.groups.join(', ')
            ) : (
              <span className="muted">none</span>
            )}
          </p>
        </>
      )}
      <ErrorMessage error={users.error} />
    </section>
  );
}
