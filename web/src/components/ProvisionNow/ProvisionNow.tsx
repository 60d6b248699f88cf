import type { UseMutationResult } from '@tanstack/react-query';
import type { ProvisionNowResult } from '../../../../shared/src/types/provision-now.schema.ts';
import type { ApiError } from '../../api/http.ts';

const OUTCOMES = {
  succeeded: 'Provisioned now',
  failed: 'Push failed',
  superseded: 'Superseded by a newer change',
  unchanged: 'Nothing to change: the target holds what the mapping gives',
  queued: 'Still running; follow it in the log',
} as const;

type Run = UseMutationResult<ProvisionNowResult, ApiError, void>;

/** App > Users: provision one user on demand (Entra's button). */
export function ProvisionNowButton({ run }: { run: Run }) {
  return (
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
  );
}

/** What the on-demand push did, step by step, as the provisioning log recorded it. */
export function ProvisionNowSteps({ result }: { result: ProvisionNowResult }) {
  return (
    <div role="status" aria-label="Provision on demand">
      <strong>{OUTCOMES[result.outcome]}</strong>
      <ol className="steps">
        {result.steps.map((step) => (
          <li key={`${step.at}-${step.status}-${step.message}`} className="mono">
            {step.status}: {step.message}
          </li>
        ))}
      </ol>
    </div>
  );
}
