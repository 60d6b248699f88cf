import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpAnswer, RequestSpec, TargetHarness, TestOrg } from './target-harness.ts';

export interface Expectation {
  status?: number;
  /** A subset of the JSON answer; arrays must have the same length; "$any" matches any present value, "$absent" a missing key. */
  body?: unknown;
  textIncludes?: string[];
  textExcludes?: string[];
  /** Header name → a substring its value must contain. */
  headers?: Record<string, string>;
  /** Header name → a substring its value must not contain. */
  headersExclude?: Record<string, string>;
}

export interface Step {
  note?: string;
  scim?: RequestSpec;
  admin?: RequestSpec;
  /** Generates a token for the org, saves it under `as`, and makes it the one SCIM steps send. */
  newToken?: { lifetimeDays: number; as: string };
  waitMs?: number;
  expect?: Expectation;
  /** Variable name → dotted path into the JSON answer, e.g. {"alice": "id"}. */
  save?: Record<string, string>;
}

export interface Fixture {
  name: string;
  org?: { strictAttributes?: boolean; seatLimit?: number | null };
  steps: Step[];
}

export function loadFixtures(dir: string): { file: string; fixture: Fixture }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture }));
}

function substitute<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === 'string')
    return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole) as T;
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)])) as T;
  return value;
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((current, key) => {
    if (current === null || current === undefined) return undefined;
    return (current as Record<string, unknown>)[key];
  }, value);
}

/** Differences between `actual` and the expected subset, as readable lines. */
export function mismatches(expected: unknown, actual: unknown, where = 'body'): string[] {
  if (expected === '$any') return actual === undefined ? [`${where}: missing`] : [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${where}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length)
      return [`${where}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual)}`];
    return expected.flatMap((e, i) => mismatches(e, actual[i], `${where}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null)
      return [`${where}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, e]) => {
      const a = (actual as Record<string, unknown>)[key];
      if (e === '$absent')
        return a === undefined ? [] : [`${where}.${key}: expected absent, got ${JSON.stringify(a)}`];
      return mismatches(e, a, `${where}.${key}`);
    });
  }
  return Object.is(expected, actual)
    ? []
    : [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function check(expectation: Expectation, answer: HttpAnswer): string[] {
  const problems: string[] = [];
  if (expectation.status !== undefined && answer.status !== expectation.status)
    problems.push(
      `status: expected ${expectation.status}, got ${answer.status} (${answer.text.slice(0, 300)})`,
    );
  if (expectation.body !== undefined) problems.push(...mismatches(expectation.body, answer.body));
  for (const text of expectation.textIncludes ?? [])
    if (!answer.text.includes(text)) problems.push(`text: expected to include ${JSON.stringify(text)}`);
  for (const text of expectation.textExcludes ?? [])
    if (answer.text.includes(text)) problems.push(`text: expected not to include ${JSON.stringify(text)}`);
  for (const [name, part] of Object.entries(expectation.headers ?? {})) {
    const value = answer.headers.get(name);
    if (!value?.toLowerCase().includes(part.toLowerCase()))
      problems.push(
        `header ${name}: expected to contain ${JSON.stringify(part)}, got ${JSON.stringify(value)}`,
      );
  }
  for (const [name, part] of Object.entries(expectation.headersExclude ?? {}))
    if (answer.headers.get(name)?.includes(part))
      problems.push(`header ${name}: expected not to contain ${JSON.stringify(part)}`);
  return problems;
}

/** Runs a fixture against a fresh organization; returns every failed expectation, step by step. */
export async function runFixture(target: TargetHarness, fixture: Fixture): Promise<string[]> {
  const org: TestOrg = await target.newOrg(fixture.org ?? {});
  const vars: Record<string, string> = { orgId: org.id, token: org.token };
  let authorization = `Bearer ${org.token}`;
  const problems: string[] = [];
  for (const [index, rawStep] of fixture.steps.entries()) {
    const step = substitute(rawStep, vars);
    const label = `step ${index + 1}${step.note ? ` (${step.note})` : ''}`;
    if (step.waitMs) await new Promise((resolve) => setTimeout(resolve, step.waitMs));
    if (step.newToken) {
      const { token } = await target.adminOk('POST', `/orgs/${org.id}/tokens`, {
        lifetimeDays: step.newToken.lifetimeDays,
      });
      vars[step.newToken.as] = String(token);
      authorization = `Bearer ${String(token)}`;
    }
    let answer: HttpAnswer | undefined;
    if (step.scim) answer = await org.scim({ authorization, ...step.scim });
    else if (step.admin) answer = await target.admin(step.admin);
    if (!answer) continue;
    if (step.expect) problems.push(...check(step.expect, answer).map((p) => `${label}: ${p}`));
    for (const [name, path] of Object.entries(step.save ?? {})) {
      const value = at(answer.body, path);
      if (value === undefined) problems.push(`${label}: nothing at ${path} to save as ${name}`);
      else vars[name] = String(value);
    }
    // A failed step makes the rest of the fixture meaningless.
    if (problems.length) break;
  }
  return problems;
}
