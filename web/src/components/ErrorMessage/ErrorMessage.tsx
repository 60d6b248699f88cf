import { ApiError } from '../../api/http.ts';
import { JsonBlock } from '../JsonBlock/JsonBlock.tsx';

/** An error as text: the API's message, its code and details. Never rendered as HTML. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : undefined;
  return (
    <div className="error-message" role="alert">
      <strong>{message}</strong>
      {error instanceof ApiError && error.code !== 'http_error' && (
        <span className="error-code"> ({error.code})</span>
      )}
      {details !== undefined && details !== null && <JsonBlock value={details} />}
    </div>
  );
}
