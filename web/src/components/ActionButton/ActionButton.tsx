import type { UseMutationResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ApiError } from '../../api/http.ts';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';

type Props<V, R> = {
  action: UseMutationResult<R, ApiError, V>;
  variables: V;
  children: ReactNode;
  variant?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  onDone?: (result: R) => void;
  /** Shown after the last run succeeded, e.g. 'Saved'. */
  doneLabel?: string;
};

/** A button that runs an API action, shows that it is running, and shows its error under it. */
export function ActionButton<V, R>({
  action,
  variables,
  children,
  variant = 'secondary',
  disabled,
  onDone,
  doneLabel,
}: Props<V, R>) {
  return (
    <span className="action">
      <button
        type="button"
        className={`btn btn-${variant}`}
        disabled={disabled || action.isPending}
        aria-busy={action.isPending}
        onClick={() => action.mutate(variables, { onSuccess: onDone })}
      >
        {children}
        {action.isPending && <span className="spinner" aria-hidden="true" />}
      </button>
      {doneLabel && action.isSuccess && (
        <span className="saved" role="status">
          {doneLabel}
        </span>
      )}
      <ErrorMessage error={action.error} />
    </span>
  );
}
