import type { z } from 'zod';
import { badRequest } from '../errors/app-error.ts';

/** Parses `input` with `schema`; the first issue becomes a 400 naming the field (`where.path`). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [where, ...(issue?.path ?? [])].join('.');
  throw badRequest(field, issue?.message ?? 'is invalid', {
    issues: result.error.issues.map(({ path, message, code }) => ({ path, message, code })),
  });
}
