import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ApiError } from '../../api/http.ts';
import type { ApplyResult, BulkPlan, PlanItem, PlanKind } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { ConfirmDialog } from '../ConfirmDialog/ConfirmDialog.tsx';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';

const shown = (value: unknown) => (value === null || value === undefined ? '—' : String(value));

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 creates, 1 update, 0 suspends or deletes": the plan's headline. */
export const planHeadline = ({ counts }: BulkPlan) =>
  `${plural(counts.creates, 'create', 'creates')}, ${plural(counts.updates, 'update', 'updates')}, ${plural(counts.removals, 'suspend or delete', 'suspends or deletes')}`;

function PlanItemRow({ item }: { item: PlanItem }) {
  return (
    <li data-plan-user={item.email} data-plan-action={item.action}>
      <strong>{item.name ?? item.email}</strong> <span className="muted">{item.email}</span> —{' '}
      <span className="plan-action">{item.action}</span>
      {item.changes.length > 0 ? (
        <table className="table plan-changes">
          <thead>
            <tr>
              <th>Attribute</th>
              <th>Now</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {item.changes.map((change) => (
              <tr key={change.attribute} data-attribute={change.attribute}>
                <td className="mono">{change.attribute}</td>
                <td className="mono old">{shown(change.from)}</td>
                <td className="mono new">→ {shown(change.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <span className="muted"> (no attribute changes)</span>
      )}
    </li>
  );
}

type Props = {
  appId: string;
  kind: PlanKind;
  title: string;
  confirmLabel: string;
  /** Called just before the plan is applied: the caller opens the live progress so no push is missed. */
  onStart: (plan: BulkPlan) => void;
  onApplied: (result: ApplyResult) => void;
  onFailed: () => void;
  onClose: () => void;
};

/**
 * The plan of a bulk change, confirmed as shown: the server applies exactly that plan or answers 409
 * when it changed, and then the new plan is shown for another look.
 */
export function BulkPlanDialog({
  appId,
  kind,
  title,
  confirmLabel,
  onStart,
  onApplied,
  onFailed,
  onClose,
}: Props) {
  const plan = useQuery({
    queryKey: ['plans', appId, kind],
    queryFn: () => api.plans.get(appId, kind),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const [changed, setChanged] = useState<unknown>(null);
  const apply = useAction((planId: string) => api.plans.apply(appId, kind, planId));
  const current = plan.data;
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      busy={!current || plan.isFetching || apply.isPending || current.total === 0}
      onCancel={onClose}
      onConfirm={() => {
        if (!current) return;
        onStart(current);
        apply.mutate(current.planId, {
          onSuccess: (result) => {
            onApplied(result);
            onClose();
          },
          onError: (error) => {
            onFailed();
            if (error instanceof ApiError && error.code === 'plan_changed') {
              setChanged(error);
              void plan.refetch();
            }
          },
        });
      }}
    >
      {changed !== null && <ErrorMessage error={changed} />}
      {apply.error && !(apply.error.code === 'plan_changed') && <ErrorMessage error={apply.error} />}
      <ErrorMessage error={plan.error} />
      {!current && <p className="muted">Working out the plan…</p>}
      {current && (
        <div className="plan" data-plan-id={current.planId}>
          <p className="plan-headline" data-testid="plan-headline">
            {current.total === 0
              ? 'Nothing to do: every user is already in line.'
              : `${planHeadline(current)}.`}
          </p>
          {current.total > 0 && (
            <ol className="plan-items">
              {current.items.map((item) => (
                <PlanItemRow key={`${item.userId}-${item.taskId ?? item.action}`} item={item} />
              ))}
            </ol>
          )}
          {current.truncated && (
            <p className="muted">
              The first {current.items.length} of {current.total} are shown; the counts and the confirmation
              cover all {current.total}.
            </p>
          )}
        </div>
      )}
    </ConfirmDialog>
  );
}
