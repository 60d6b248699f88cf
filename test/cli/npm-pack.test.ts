import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/factories.ts';
import { runCommand } from '../support/provisim-cli.ts';
import { createTargetOrg } from '../support/target-org.ts';

const NPM_TIMEOUT_MS = 600_000;

/**
 * The package as a user gets it: `npm pack`, then `npm install <tarball>` in another folder, then
 * `npx provisim` there. The install reads the dependencies from npm's cache when it has them
 * (`npm ci` fills it) and from the registry otherwise.
 */
describe('provisim from an npm pack tarball installed elsewhere', () => {
  const { target, stack } = useStack();
  const dir = mkdtempSync(join(tmpdir(), 'provisim-pack-'));
  const consumer = join(dir, 'consumer');
  const npx = (args: string[]) =>
    runCommand(args, { cwd: consumer, command: ['npx', '--no-install', 'provisim'] });

  beforeAll(async () => {
    const packed = await runCommand(['pack', '--json', '--pack-destination', dir], { command: ['npm'] });
    expect(packed.code, packed.stderr).toBe(0);
    const [{ filename }] = JSON.parse(packed.stdout);
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), '{"name":"consumer","private":true}\n');
    const installed = await runCommand(
      ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, filename)],
      { cwd: consumer, command: ['npm'] },
    );
    expect(installed.code, installed.stderr).toBe(0);
  }, NPM_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its usage', async () => {
    const run = await npx(['--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('provisim run SCENARIO.yaml [--junit FILE]');
  });

  it('runs compat against a running provisim', async () => {
    const org = await createTargetOrg(target, { strictAttributes: false });
    const run = await npx([
      'compat',
      ...['--scim-url', org.scimBaseUrl, '--token', org.token, '--dialects', 'onelogin'],
      ...['--api', stack().apiUrl, '--admin-token', stack().adminToken],
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('11 passed, 0 failed, 0 not run');
  });

  it('runs a shipped example on its own embedded instance', async () => {
    const run = await npx(['run', 'node_modules/provisim/examples/seed-walkthrough.yaml']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Seed walkthrough: passed');
  });
});
