import { ApiError } from '../../api/http.ts';
import { JsonBlock } from '../JsonBlock/JsonBlock.tsx';
import { plainError } from './plain-error.ts';

/** An error in plain words; its code, status and details folded away. Never rendered as HTML. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const details = error instanceof ApiError ? error.details : undefined;
  return (
    <div className="error-message" role="alert">
      <strong>{plainError(error)}</strong>
      {error instanceof ApiError && (
        <details className="error-details">
          <summary>Details</summary>
          <p className="mono">
            HTTP {error.status} · {error.code}
          </p>
          {details !== undefined && details !== null && <JsonBlock value={details} />}
        </details>
      )}
    </div>
  );
}
