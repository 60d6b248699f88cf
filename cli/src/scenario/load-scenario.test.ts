import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-io.ts';
import { parseScenario } from './load-scenario.ts';
import { SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText } from './write-json-schema.ts';

const HEAD = `name: t
target:
  builtin: {}
apps:
  - name: Calendly
users:
  - { key: ada, firstname: Ada, lastname: Lovelace, email: ada@example.com }
`;

const errorOf = (text: string): string => {
  try {
    parseScenario(text, 's.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('the scenario was accepted');
};

describe('scenario files', () => {
  it('reads a valid scenario with defaults, generated users and the line of each step', () => {
    const loaded = parseScenario(
      `${HEAD}  - { generate: 3, prefix: gen }
steps:
  - assign: { app: Calendly, users: all }

  - wait-idle: {}
`,
      's.yaml',
    );
    expect(loaded.userKeys).toEqual(['ada', 'gen1', 'gen2', 'gen3']);
    expect(loaded.stepLines).toEqual([10, 12]);
    expect(loaded.scenario.apps[0]).toMatchObject({
      connector: 'calendly',
      dialect: 'onelogin',
      approvals: { create: true, update: true, delete: true },
      onDelete: 'suspend',
    });
    expect(loaded.scenario.steps[1]).toEqual({ 'wait-idle': { timeout: 120 } });
  });

  it('names the line and column of a YAML syntax error', () => {
    expect(errorOf(`${HEAD}steps:\n  - assign: { app: Calendly, users: [ada }\n`)).toMatch(
      /^s\.yaml:9:\d+: /,
    );
  });

  it('names the line, column and field of a wrong value inside a step', () => {
    expect(errorOf(`${HEAD}steps:\n  - wait-idle: { timeout: soon }\n`)).toBe(
      's.yaml:9:27: steps.0.wait-idle.timeout: Invalid input: expected number, received string',
    );
  });

  it('says which steps exist when a step is unknown', () => {
    expect(errorOf(`${HEAD}steps:\n  - approve-everything: { app: Calendly }\n`)).toMatch(
      /^s\.yaml:9:5: steps\.0: is not a step; a step is an object with one of: assign, unassign, approve, /,
    );
  });

  it('refuses references to apps and users the scenario does not declare', () => {
    expect(errorOf(`${HEAD}steps:\n  - assign: { app: Calendly, users: [ada, bob] }\n`)).toBe(
      's.yaml:9:43: steps.0.assign.users.1: no user with key "bob" in users',
    );
    expect(errorOf(`${HEAD}steps:\n  - approve-all: { app: Zoom }\n`)).toBe(
      's.yaml:9:25: steps.0.approve-all.app: no app named "Zoom" in apps',
    );
  });

  it('points at the parent when a required field is missing', () => {
    expect(
      errorOf('name: t\ntarget:\n  external: { scimUrl: "ftp://x" , token: t }\napps: []\nsteps: []\n'),
    ).toMatch(/^s\.yaml:3:\d+: target/);
  });

  it('publishes the schema as JSON Schema, in step with the zod schema', () => {
    expect(JSON.parse(readFileSync(SCENARIO_JSON_SCHEMA_FILE, 'utf8'))).toEqual(
      JSON.parse(scenarioJsonSchemaText()),
    );
  });

  it('accepts every shipped example', () => {
    const folder = resolve(import.meta.dirname, '../../../examples');
    const files = readdirSync(folder).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) parseScenario(readFileSync(resolve(folder, file), 'utf8'), file);
  });
});
