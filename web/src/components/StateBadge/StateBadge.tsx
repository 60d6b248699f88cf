const LABELS: Record<string, string> = {
  pending: 'Pending',
  queued: 'Queued',
  provisioned: 'Provisioned',
  suspended: 'Suspended',
  deprovisioned: 'Deprovisioned',
  failed: 'Failed',
  denied: 'Denied',
  active: 'Active',
  enabled: 'Enabled',
  disabled: 'Disabled',
  error: 'Error',
  pending_approval: 'Pending approval',
  approved: 'Approved',
  succeeded: 'Succeeded',
  retrying: 'Retrying',
  skipped: 'Skipped',
  looked_up: 'Looked up',
  superseded: 'Superseded',
  accepted: 'Accepted',
};

/** A coloured state label; the colour comes from the state, the text from OneLogin's words. */
export function StateBadge({ state }: { state: string }) {
  return <span className={`badge badge-${state}`}>{LABELS[state] ?? state}</span>;
}
