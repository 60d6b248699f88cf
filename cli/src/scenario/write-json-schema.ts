import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarioJsonSchema } from './scenario.schema.ts';

/** Where the scenario JSON Schema is published (examples point their yaml-language-server at it). */
export const SCENARIO_JSON_SCHEMA_FILE = resolve(import.meta.dirname, '../../scenario.schema.json');

export const scenarioJsonSchemaText = (): string => `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;

if (process.argv[1] === import.meta.filename)
  writeFileSync(SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText());
