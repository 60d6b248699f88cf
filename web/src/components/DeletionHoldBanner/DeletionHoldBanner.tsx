import { oneloginApi } from '../../api/onelogin-client.ts';
import type { App } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { ActionButton } from '../ActionButton/ActionButton.tsx';

/** The app holds deprovisions past its deletion threshold: Allow (naming the count) or Reject them. */
export function DeletionHoldBanner({ app }: { app: App }) {
  const hold = app.deletionHold;
  const allow = useAction((count: number) => oneloginApi.allowHeld(app.id, count));
  const reject = useAction((count: number) => oneloginApi.rejectHeld(app.id, count));
  if (!hold) return null;
  return (
    <div className="warning deletion-hold" role="alert" aria-label="Deletion hold">
      <p>
        Deletion safety: {hold.count} deletes or suspends are held since{' '}
        {new Date(hold.since).toLocaleString()} (more than {app.deletionSafety?.threshold} within{' '}
        {app.deletionSafety?.windowSeconds} s). Nothing is deprovisioned until you decide.
      </p>
      <span className="toolbar">
        <ActionButton action={allow} variables={hold.count} variant="danger">
          Allow {hold.count} deprovisions
        </ActionButton>
        <ActionButton action={reject} variables={hold.count}>
          Reject
        </ActionButton>
      </span>
    </div>
  );
}
