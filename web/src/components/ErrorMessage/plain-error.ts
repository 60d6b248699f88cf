import { ApiError } from '../../api/http.ts';

/** What went wrong, in words an admin reads aloud: the API's sentence, or what the status means. */
export function plainError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 404) return `It is no longer there: ${error.message}`;
  if (error.status === 409) return `It changed meanwhile: ${error.message}`;
  if (error.status >= 500) return `The server could not do it: ${error.message}`;
  return error.message;
}
