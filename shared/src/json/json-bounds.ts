/**
 * The bounds every piece of request data is held to before anything walks it: how deep containers
 * may nest and how long a string (or key) may be. Body size is the parsers' own limit.
 */
export const JSON_LIMITS = { maxDepth: 32, maxStringChars: 65_536 } as const;

export type JsonLimits = { maxDepth: number; maxStringChars: number };

/** What a walk that stops at `JSON_LIMITS.maxDepth` puts where deeper data was. */
export const TOO_DEEP = '[nested too deep]';

export interface JsonBoundViolation {
  /** Dotted path of the offending value (`''` for the value itself), e.g. `emails.0.value`. */
  path: string;
  problem: string;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const shortKey = (key: string) => (key.length > 40 ? `${key.slice(0, 40)}…` : key);

/**
 * The first place where `value` passes a bound, or undefined. Iterative on purpose: the value may be
 * nested far deeper than the call stack allows (V8's JSON.parse itself takes a 500,000-deep array).
 */
export function findJsonBoundViolation(
  value: unknown,
  limits: JsonLimits = JSON_LIMITS,
): JsonBoundViolation | undefined {
  const pending: Array<[unknown, string, number]> = [[value, '', 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, path, depth] = next;
    if (typeof current === 'string') {
      if (current.length > limits.maxStringChars)
        return { path, problem: `is longer than ${limits.maxStringChars} characters` };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limits.maxDepth) return { path, problem: `nests deeper than ${limits.maxDepth} levels` };
    const entries: Array<[string, unknown]> = Array.isArray(current)
      ? current.map((item, i) => [String(i), item])
      : Object.entries(current);
    for (const [key, inner] of entries) {
      if (key.length > limits.maxStringChars)
        return {
          path: join(path, shortKey(key)),
          problem: `has a name longer than ${limits.maxStringChars} characters`,
        };
      pending.push([inner, join(path, key), depth + 1]);
    }
  }
  return undefined;
}
