import { readFileSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../cli-io.ts';
import { type Scenario, STEP_NAMES, scenarioSchema } from './scenario.schema.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export interface LoadedScenario {
  scenario: Scenario;
  /** 1-based line of each step in the file, by index. */
  stepLines: number[];
  /** The key of every directory user, generated ones included, in order. */
  userKeys: string[];
}

const rootUnrecognised = (issues: readonly Issue[]) =>
  issues.some((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0);

/** The issue to show: inside a union, the first issue of the branch the input was meant for. */
function deepest(issue: Issue): { path: Path; message: string } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0)
    return { path: issue.path, message: issue.message };
  const meant = issue.errors.find((branch) => branch.length > 0 && !rootUnrecognised(branch));
  const first = meant?.[0];
  if (!first) {
    const stepIndex = issue.path.length === 2 && issue.path[0] === 'steps';
    return {
      path: issue.path,
      message: stepIndex
        ? `is not a step; a step is an object with one of: ${STEP_NAMES.join(', ')}`
        : 'matches none of the allowed shapes',
    };
  }
  const inner = deepest(first);
  return { path: [...issue.path, ...inner.path], message: inner.message };
}

/** The line and column of the deepest node of `path` the document has (a missing key points at its parent). */
function position(doc: Document, counter: LineCounter, path: Path): { line: number; col: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

const where = (file: string, pos: { line: number; col: number }) => `${file}:${pos.line}:${pos.col}`;
const dotted = (path: Path) => path.map(String).join('.');

/** Keys of every directory user, generated ones included; duplicates and unknown references are input errors. */
function checkReferences(scenario: Scenario): {
  userKeys: string[];
  problems: { path: Path; message: string }[];
} {
  const problems: { path: Path; message: string }[] = [];
  const userKeys: string[] = [];
  const seen = new Set<string>();
  scenario.users.forEach((entry, index) => {
    const keys =
      'generate' in entry
        ? Array.from({ length: entry.generate }, (_, i) => `${entry.prefix}${i + 1}`)
        : [entry.key];
    for (const key of keys) {
      if (seen.has(key))
        problems.push({ path: ['users', index], message: `user key "${key}" is used twice` });
      seen.add(key);
      userKeys.push(key);
    }
  });
  const apps = new Set(scenario.apps.map((app) => app.name));
  scenario.apps.forEach((app, index) => {
    if (scenario.apps.findIndex((other) => other.name === app.name) !== index)
      problems.push({ path: ['apps', index, 'name'], message: `app name "${app.name}" is used twice` });
  });
  const visit = (value: unknown, path: PropertyKey[]): void => {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i]);
    } else if (value && typeof value === 'object')
      for (const [name, inner] of Object.entries(value)) {
        if (name === 'app' && typeof inner === 'string' && !apps.has(inner))
          problems.push({ path: [...path, name], message: `no app named "${inner}" in apps` });
        else if ((name === 'user' || name === 'users') && inner !== 'all')
          for (const [i, ref] of (Array.isArray(inner) ? inner : [inner]).entries())
            if (typeof ref === 'string' && !seen.has(ref))
              problems.push({
                path: Array.isArray(inner) ? [...path, name, i] : [...path, name],
                message: `no user with key "${ref}" in users`,
              });
        if (name !== 'set' && name !== 'attributes') visit(inner, [...path, name]);
      }
  };
  visit(scenario.steps, ['steps']);
  return { userKeys, problems };
}

/** Parses and validates a scenario's YAML; every error is a UsageError naming the file, line and column. */
export function parseScenario(text: string, file: string): LoadedScenario {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax)
    throw new UsageError(`${where(file, counter.linePos(syntax.pos[0]))}: ${syntax.message.split('\n')[0]}`);
  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const first = parsed.error.issues[0] as Issue;
    const { path, message } = deepest(first);
    throw new UsageError(
      `${where(file, position(doc, counter, path))}: ${dotted(path) || 'the file'}: ${message}`,
    );
  }
  const { userKeys, problems } = checkReferences(parsed.data);
  const problem = problems[0];
  if (problem)
    throw new UsageError(
      `${where(file, position(doc, counter, problem.path))}: ${dotted(problem.path)}: ${problem.message}`,
    );
  const stepLines = parsed.data.steps.map((_, i) => position(doc, counter, ['steps', i]).line);
  return { scenario: parsed.data, stepLines, userKeys };
}

export function loadScenario(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  return parseScenario(text, file);
}
