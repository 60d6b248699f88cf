import { useState } from 'react';
import { api } from '../api/client.ts';
import type { Faults } from '../api/types.ts';
import { ActionButton } from '../components/ActionButton/ActionButton.tsx';
import { ErrorMessage } from '../components/ErrorMessage/ErrorMessage.tsx';
import { OutOfBandChange } from '../components/OutOfBandChange/OutOfBandChange.tsx';
import { useAction } from '../hooks/use-action.ts';
import { useOrgFaults } from '../hooks/use-org-faults.ts';
import { useCurrentOrg } from './CalendlyOrgPage.tsx';

const number = (value: string) => (value === '' ? 0 : Number(value));

/** Calendly's rules (strict attributes, seat limit) and the fault controls a QA run or a demo needs. */
export function CalendlySimulationPage() {
  const org = useCurrentOrg();
  const current = useOrgFaults(org.id);
  return (
    <div className="two-columns">
      <div>
        <OrgRules />
        <OutOfBandChange orgId={org.id} />
      </div>
      <div>
        <ErrorMessage error={current.error} />
        {current.data && <FaultControls orgId={org.id} initial={current.data} />}
      </div>
    </div>
  );
}

function OrgRules() {
  const org = useCurrentOrg();
  const [strict, setStrict] = useState(org.strictAttributes);
  const [seatLimit, setSeatLimit] = useState(org.seatLimit === null ? '' : String(org.seatLimit));
  const saveSettings = useAction(() =>
    api.target.saveSettings(org.id, {
      strictAttributes: strict,
      seatLimit: seatLimit === '' ? null : Number(seatLimit),
    }),
  );
  return (
    <div className="card">
      <h2>Organization rules</h2>
      <label className="check">
        <input type="checkbox" checked={strict} onChange={(event) => setStrict(event.target.checked)} />
        Strict attributes (only userName, displayName, active, externalId)
      </label>
      <label className="field">
        <span>Seat limit (empty: no limit)</span>
        <input
          type="number"
          min={0}
          value={seatLimit}
          onChange={(event) => setSeatLimit(event.target.value)}
        />
      </label>
      <ActionButton action={saveSettings} variables={undefined} variant="primary">
        Save
      </ActionButton>
      {saveSettings.isSuccess && <span className="saved">Saved</span>}
    </div>
  );
}

function FaultControls({ orgId, initial }: { orgId: string; initial: Faults }) {
  const [faults, setFaults] = useState<Faults>(initial);
  const [failStatus, setFailStatus] = useState('500');
  const [failCount, setFailCount] = useState('1');
  const saveFaults = useAction(() => api.target.saveFaults(orgId, faults));
  return (
    <div className="card">
      <h2>Fault controls</h2>
      <label className="field">
        <span>Latency (ms)</span>
        <input
          type="number"
          min={0}
          value={faults.latencyMs}
          onChange={(event) => setFaults({ ...faults, latencyMs: number(event.target.value) })}
        />
      </label>
      <label className="field">
        <span>Error rate (0 to 1)</span>
        <input
          type="number"
          min={0}
          max={1}
          step={0.05}
          value={faults.errorRate}
          onChange={(event) => setFaults({ ...faults, errorRate: number(event.target.value) })}
        />
      </label>
      <label className="field">
        <span>Rate limit (requests per second, empty: none)</span>
        <input
          type="number"
          min={1}
          value={faults.rateLimit?.perSecond ?? ''}
          onChange={(event) =>
            setFaults({
              ...faults,
              rateLimit: event.target.value === '' ? null : { perSecond: Number(event.target.value) },
            })
          }
        />
      </label>
      <p>Fail the next requests:</p>
      <ul>
        {faults.failNext.map((rule, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rules are plain values edited in place
          <li key={index}>
            {rule.count} × {rule.status}{' '}
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() =>
                setFaults({ ...faults, failNext: faults.failNext.filter((_, i) => i !== index) })
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="inline-form">
        <label className="field inline">
          <span>Status</span>
          <input
            type="number"
            min={400}
            max={599}
            value={failStatus}
            onChange={(event) => setFailStatus(event.target.value)}
          />
        </label>
        <label className="field inline">
          <span>Count</span>
          <input
            type="number"
            min={1}
            value={failCount}
            onChange={(event) => setFailCount(event.target.value)}
          />
        </label>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() =>
            setFaults({
              ...faults,
              failNext: [...faults.failNext, { status: number(failStatus), count: number(failCount) }],
            })
          }
        >
          Add
        </button>
      </div>
      <ActionButton action={saveFaults} variables={undefined} variant="primary">
        Apply faults
      </ActionButton>
      {saveFaults.isSuccess && <span className="saved">Applied</span>}
    </div>
  );
}
