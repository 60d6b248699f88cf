import { useState } from 'react';
import { Link } from 'react-router';
import { useAction } from '../../hooks/use-action.ts';
import { useWalkthrough } from '../../hooks/use-walkthrough.ts';
import { resetDemo } from '../../walkthrough/reset-demo.ts';
import { ConfirmDialog } from '../ConfirmDialog/ConfirmDialog.tsx';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';

/** The trainer's checklist: each step ticked from real state, the next one highlighted. */
export function WalkthroughPanel() {
  const reset = useAction(resetDemo);
  // A reset stays pending until every query on screen has refetched, so the org's id is fresh by then.
  const { steps, isLoading, error } = useWalkthrough(reset.isPending);
  const [confirming, setConfirming] = useState(false);
  const nextId = steps.find((step) => !step.done)?.id;
  const doneCount = steps.filter((step) => step.done).length;
  return (
    <aside className="walkthrough" aria-label="Walkthrough">
      <h2>Walkthrough</h2>
      <p className="muted">
        Calendly SCIM with OneLogin — {doneCount} of {steps.length} done
      </p>
      {isLoading && <p className="muted">Loading…</p>}
      <ErrorMessage error={error} />
      <ol className="steps">
        {steps.map((step) => (
          <li
            key={step.id}
            data-step={step.id}
            data-done={step.done}
            className={`step${step.done ? ' done' : ''}${step.id === nextId ? ' next' : ''}`}
            aria-current={step.id === nextId ? 'step' : undefined}
          >
            <span className="tick" aria-hidden="true">
              {step.done ? '✓' : ''}
            </span>
            <span className="sr-only">{step.done ? 'Done: ' : 'To do: '}</span>
            <span>
              <span className="step-side">{step.side}</span> <Link to={step.link}>{step.title}</Link>
            </span>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() => setConfirming(true)}
        disabled={reset.isPending}
      >
        Reset demo{reset.isPending && <span className="spinner" aria-hidden="true" />}
      </button>
      <ErrorMessage error={reset.error} />
      {confirming && (
        <ConfirmDialog
          title="Reset demo"
          confirmLabel="Reset"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            reset.mutate();
          }}
        >
          Deletes every app, directory user and Calendly organization, then creates the organization 'Acme
          Inc.' and a few sample users.
        </ConfirmDialog>
      )}
    </aside>
  );
}
