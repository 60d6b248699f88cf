import { useState } from 'react';
import { api } from '../api/client.ts';
import type { EmptyGroups, OnDelete, OnSuspend, Provisioning } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { DeletionSafetySettings } from '../components/DeletionSafetySettings/DeletionSafetySettings.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useCurrentApp } from './AppPage.tsx';

const APPROVALS = [
  ['create', 'Create user', 'If selected, admins must approve new users before they can log in.'],
  ['delete', 'Delete user', 'Deleting a user is a non-reversible action: keep this box checked.'],
  ['update', 'Update user', 'You must approve any updates in OneLogin.'],
] as const;

/** Provisioning: the workflow switch, approvals, and the deprovisioning actions. */
export function AppProvisioningPage() {
  const app = useCurrentApp();
  const [form, setForm] = useState<Provisioning>(app.provisioning);
  const save = useAction(() => api.apps.saveProvisioning(app.id, form));
  const set = (patch: Partial<Provisioning>) => setForm((current) => ({ ...current, ...patch }));

  return (
    <div className="card">
      <h2>Provisioning</h2>
      <fieldset className="fieldset">
        <legend>Workflow</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(event) => set({ enabled: event.target.checked })}
          />
          Enable provisioning
        </label>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Require admin approval before this action is performed</legend>
        {APPROVALS.map(([key, label, hint]) => (
          <label className="check" key={key}>
            <input
              type="checkbox"
              checked={form.requireApproval[key]}
              onChange={(event) =>
                set({ requireApproval: { ...form.requireApproval, [key]: event.target.checked } })
              }
            />
            {label}
            <span className="hint">{hint}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Deprovisioning</legend>
        <label className="field">
          <span>
            When users are deleted in OneLogin, or the user's app access is removed, perform the below action
          </span>
          <select
            value={form.onDelete}
            onChange={(event) => set({ onDelete: event.target.value as OnDelete })}
          >
            <option value="delete">Delete</option>
            <option value="suspend">Suspend</option>
            <option value="none">Do nothing</option>
          </select>
        </label>
        {form.onDelete === 'delete' && (
          <p className="warning" role="alert">
            ⚠ Once a user has been deleted, Calendly will delete their account and all their data. This is a
            non-reversible action.
          </p>
        )}
        <label className="field">
          <span>When user accounts are suspended in OneLogin, perform the following action</span>
          <select
            value={form.onSuspend}
            onChange={(event) => set({ onSuspend: event.target.value as OnSuspend })}
          >
            <option value="suspend">Suspend</option>
            <option value="none">Do nothing</option>
          </select>
        </label>
        <label className="field">
          <span>When a group in the app is left with no members, perform the following action</span>
          <select
            value={form.emptyGroups ?? 'keep'}
            onChange={(event) => set({ emptyGroups: event.target.value as EmptyGroups })}
          >
            <option value="keep">Keep the group</option>
            <option value="delete">Delete the group</option>
          </select>
        </label>
      </fieldset>
      <ActionButton action={save} variables={undefined} variant="primary">
        Save
      </ActionButton>
      {save.isSuccess && <span className="saved">Saved</span>}
      <DeletionSafetySettings app={app} />
    </div>
  );
}
