import { useState } from 'react';
import { CopyIcon } from './CopyIcon.tsx';

/** The account's id on the target, cut to its start on screen; the whole id is in the title and copies on click. */
export function ExternalId({ id }: { id: string | null }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  if (!id) return <span className="muted">—</span>;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(id);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button
      type="button"
      className="external-id"
      title={`${id} (click to copy)`}
      aria-label={`Copy external ID ${id}`}
      onClick={copy}
      onBlur={() => setCopied(null)}
    >
      <span className="mono truncate" data-label="External ID" data-id={id}>
        {id}
      </span>
      {copied === null ? <CopyIcon /> : <span aria-hidden="true">{copied ? '✓' : '✗'}</span>}
      {copied !== null && (
        <span className="sr-only" role="status">
          {copied ? 'Copied' : 'Copy failed: select the id on the user’s page instead'}
        </span>
      )}
    </button>
  );
}
