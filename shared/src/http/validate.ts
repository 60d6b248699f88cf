import type { z } from 'zod';
import { invalidInput } from '../errors/invalid-input.ts';

/** Parses `input` with `schema`; the first issue becomes a 400 naming the field (`where.path`). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidInput(result.error, [where]);
}
