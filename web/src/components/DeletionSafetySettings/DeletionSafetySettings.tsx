import { useState } from 'react';
import type { DeletionSafety } from '../../../../shared/src/types/deletion-safety.schema.ts';
import { oneloginApi } from '../../api/onelogin-client.ts';
import type { App } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { ActionButton } from '../ActionButton/ActionButton.tsx';

const DEFAULT: DeletionSafety = { enabled: false, threshold: 500, windowSeconds: 3600 };

/** Entra's accidental-deletion threshold as an app setting. */
export function DeletionSafetySettings({ app }: { app: App }) {
  const [form, setForm] = useState<DeletionSafety>(app.deletionSafety ?? DEFAULT);
  const save = useAction(() => oneloginApi.saveDeletionSafety(app.id, form));
  const set = (patch: Partial<DeletionSafety>) => setForm((current) => ({ ...current, ...patch }));
  return (
    <fieldset className="fieldset deletion-safety">
      <legend>Deletion safety</legend>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        Prevent accidental deletion
        <span className="hint">
          More deletes or suspends than the threshold within the window are held until you Allow them.
        </span>
      </label>
      <label className="field">
        <span>Accidental deletion threshold</span>
        <input
          type="number"
          min={0}
          value={form.threshold}
          onChange={(e) => set({ threshold: Number(e.target.value) })}
        />
      </label>
      <label className="field">
        <span>Window (seconds)</span>
        <input
          type="number"
          min={1}
          value={form.windowSeconds}
          onChange={(e) => set({ windowSeconds: Number(e.target.value) })}
        />
      </label>
      <ActionButton action={save} variables={undefined} doneLabel="Saved">
        Save deletion safety
      </ActionButton>
    </fieldset>
  );
}
