import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../cli/src/scenario/load-scenario.ts';
import { runScenario } from '../../cli/src/scenario/run-scenario.ts';
import { useStack } from '../support/factories.ts';

const folder = resolve(import.meta.dirname, '../../examples');
const examples = readdirSync(folder).filter((file) => file.endsWith('.yaml'));

/** Every shipped scenario, played against the whole stack as `provisim run --api` would: so CI runs them. */
describe('examples/', () => {
  const { api } = useStack();

  it.each(examples)('%s passes', { timeout: 600_000 }, async (file) => {
    const result = await runScenario(api.typed, loadScenario(resolve(folder, file)));
    const failed = result.steps.filter((step) => step.status !== 'pass');
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(result.passed).toBe(true);
  });
});
