import type { UseMutationResult } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { ApiError } from '../../api/http.ts';
import { ConfirmDialog } from '../ConfirmDialog/ConfirmDialog.tsx';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';

type Props<R> = {
  action: UseMutationResult<R, ApiError, void>;
  label: string;
  title: string;
  confirmLabel: string;
  children: ReactNode;
  variant?: 'ghost' | 'danger';
  onDone?: (result: R) => void;
};

/** A destructive action behind a confirmation: the button, the question, then progress and error. */
export function ConfirmButton<R>({
  action,
  label,
  title,
  confirmLabel,
  children,
  variant = 'ghost',
  onDone,
}: Props<R>) {
  const [asking, setAsking] = useState(false);
  return (
    <span className="action">
      <button
        type="button"
        className={`btn btn-${variant}`}
        disabled={action.isPending}
        aria-busy={action.isPending}
        onClick={() => setAsking(true)}
      >
        {label}
        {action.isPending && <span className="spinner" aria-hidden="true" />}
      </button>
      <ErrorMessage error={action.error} />
      {asking && (
        <ConfirmDialog
          title={title}
          confirmLabel={confirmLabel}
          danger
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            action.mutate(undefined, { onSuccess: onDone });
          }}
        >
          {children}
        </ConfirmDialog>
      )}
    </span>
  );
}
