import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures, runFixture } from './support/fixture-runner.ts';
import { startTarget, type TargetHarness } from './support/target-harness.ts';

const fixtures = loadFixtures(fileURLToPath(new URL('./fixtures', import.meta.url)));

describe('built-in target, protocol cases (test/scim-target/fixtures)', () => {
  let target: TargetHarness;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(() => target.close());

  it('has fixtures to run', () => {
    expect(fixtures.length).toBeGreaterThan(20);
  });

  for (const { file, fixture } of fixtures) {
    it(`${file}: ${fixture.name}`, async () => {
      expect(await runFixture(target, fixture)).toEqual([]);
    });
  }
});
