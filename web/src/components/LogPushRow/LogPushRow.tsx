import { useState } from 'react';
import type { LogPush, WithLogUser } from '../../../../shared/src/types/log-pushes.ts';
import type { LogEvent } from '../../api/types.ts';
import { LogExchange } from '../LogExchange/LogExchange.tsx';
import { RelativeTime } from '../RelativeTime/RelativeTime.tsx';
import { StateBadge } from '../StateBadge/StateBadge.tsx';
import { UserName } from '../UserName/UserName.tsx';

export const PUSH_COLUMNS = ['Time', 'User', 'App', 'What', 'Outcome', 'Duration'] as const;

const duration = (ms: number | null) =>
  ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** What a step did, in words: "Lookup: GET … → 200", "Create: POST … → 201", or the event's message. */
const stepTitle = (step: LogEvent) => {
  if (!step.request) return step.message;
  const verb = step.request.method === 'GET' ? 'Lookup' : `${step.request.method}`;
  return `${verb} → ${step.response?.status ?? 'no answer'}`;
};

/** One push in one row, as Entra shows a provisioning event; its steps open below, each with its exchange. */
export function LogPushRow({ push, appName }: { push: WithLogUser<LogPush>; appName: string }) {
  const [open, setOpen] = useState(false);
  // The write (or the newest step that sent anything) opens with the push: it is what the admin came for.
  const mainStep =
    [...push.steps].reverse().find((step) => step.request && step.request.method !== 'GET') ??
    [...push.steps].reverse().find((step) => step.request);
  const [openStep, setOpenStep] = useState<string | null>(mainStep?.id ?? null);
  return (
    <>
      <tr
        data-push={push.taskId}
        data-action={push.action}
        data-status={push.outcome}
        data-scim={push.write}
        data-user-id={push.userId}
      >
        <td>
          <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> <RelativeTime at={push.at} />
            <span className="sr-only">: steps of this {push.action}</span>
          </button>
        </td>
        <td className="wrap">
          <UserName userId={push.userId} user={push.user} />
        </td>
        <td className="wrap">{appName}</td>
        <td>
          {push.action}
          {push.write && <span className="sub">{push.write}</span>}
        </td>
        <td>
          <StateBadge state={push.outcome} />
          {push.attempts > 1 && <span className="sub">{push.attempts} tries</span>}
          <span className="sub clip" title={push.message}>
            {push.message}
          </span>
        </td>
        <td>{duration(push.durationMs)}</td>
      </tr>
      {open && (
        <tr className="detail-row">
          <td colSpan={PUSH_COLUMNS.length}>
            <ol className="push-steps">
              {push.steps.map((step) => (
                <li
                  key={step.id}
                  data-event={step.id}
                  data-status={step.status}
                  data-scim={step.request?.method}
                >
                  <button
                    type="button"
                    className="link-button"
                    aria-expanded={openStep === step.id}
                    onClick={() => setOpenStep(openStep === step.id ? null : step.id)}
                  >
                    {stepTitle(step)}
                  </button>{' '}
                  <StateBadge state={step.status} /> <RelativeTime at={step.at} />
                  {step.actor && <span className="muted"> by {step.actor}</span>}
                  {step.request && <span className="sub clip">{step.message}</span>}
                  {openStep === step.id && <LogExchange event={step} />}
                </li>
              ))}
            </ol>
            <p className="muted mono">task {push.taskId}</p>
          </td>
        </tr>
      )}
    </>
  );
}
