import { oneloginApi } from '../../api/onelogin-client.ts';
import { useAction } from '../../hooks/use-action.ts';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';

const OUTCOMES = {
  succeeded: 'Provisioned now',
  failed: 'Push failed',
  superseded: 'Superseded by a newer change',
  unchanged: 'Nothing to change: the target holds what the mapping gives',
  queued: 'Still running; follow it in the log',
} as const;

/** App > Users: provision one user on demand (Entra's button) and show the push's steps at once. */
export function ProvisionNow({ appId, userId }: { appId: string; userId: string }) {
  const run = useAction(() => oneloginApi.provisionNow(appId, userId));
  return (
    <span className="provision-now">
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        disabled={run.isPending}
        aria-busy={run.isPending}
        onClick={() => run.mutate()}
      >
        Provision now
        {run.isPending && <span className="spinner" aria-hidden="true" />}
      </button>
      <ErrorMessage error={run.error} />
      {run.data && (
        <span role="status" aria-label="Provision on demand" className="sub">
          <strong>{OUTCOMES[run.data.outcome]}</strong>
          <ol className="steps">
            {run.data.steps.map((step) => (
              <li key={`${step.at}-${step.status}-${step.message}`}>
                {step.status}: {step.message}
              </li>
            ))}
          </ol>
        </span>
      )}
    </span>
  );
}
