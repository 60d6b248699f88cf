import type { z } from 'zod';
import { badRequest } from './app-error.ts';

/** A zod failure's first issue: the field it names, below `prefix` (`body`, `custom.0`, ...), and its message. */
export function firstIssue(
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
): { field: string; message: string } {
  const issue = error.issues[0];
  return {
    field: [...prefix, ...(issue?.path ?? [])].map(String).join('.'),
    message: issue?.message ?? 'is invalid',
  };
}

/** A zod failure as the contract's 400: the first issue names the field, and every issue is in the details. */
export function invalidInput(error: z.ZodError, prefix: readonly PropertyKey[] = []) {
  const { field, message } = firstIssue(error, prefix);
  return badRequest(field, message, {
    issues: error.issues.map(({ path, message, code }) => ({ path, message, code })),
  });
}
