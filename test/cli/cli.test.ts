import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTargetOrg, setUpAppOnNewOrg, useStack, waitIdle } from '../support/factories.ts';
import { runCommand, runInProcess } from '../support/provisim-cli.ts';
import { startScimProxy } from '../support/scim-proxy.ts';
import { throughOrigin } from '../support/target-org.ts';

describe('the provisim command', () => {
  const { api, target, stack } = useStack();
  const dir = mkdtempSync(join(tmpdir(), 'provisim-cli-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const against = () => ['--api', stack().apiUrl, '--admin-token', stack().adminToken];

  it('runs as `npx provisim` in the repo and prints its usage', async () => {
    const run = await runCommand(['--help'], { command: ['npx', '--no-install', 'provisim'] });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('provisim compat --scim-url URL --token TOKEN');
    expect(run.stdout).toContain('Exit codes: 0 all passed, 1 a check failed, 2 bad usage or bad input');
  });

  it.each([
    [[], /Usage:/],
    [['deploy'], /unknown command "deploy"/],
    [['compat', '--token', 't'], /--scim-url is required/],
    [
      ['compat', '--scim-url', 'http://127.0.0.1:9/scim', '--token', 't', '--dialects', 'okta,ping'],
      /--dialects: unknown dialect "ping"/,
    ],
    [
      ['compat', '--scim-url', 'http://127.0.0.1:9/scim', '--token', 't', '--report', 'out.pdf'],
      /--report: "out.pdf" must end in .md or .html/,
    ],
    [['compat', '--scim-url', 'http://x', '--token', 't', '--verbose'], /Unknown option '--verbose'/],
    [['wait-idle', '--timeout', 'soon'], /--timeout: "soon" is not a number of seconds/],
    [['wait-idle', '--admin-token', 'x'], /--admin-token needs --api/],
    [['log', 'export', '--format', 'xml'], /--format: "xml" is not one of ndjson, csv/],
    [['run'], /run needs a scenario file/],
    [['run', 'no-such-file.yaml'], /no-such-file\.yaml: cannot read it \(ENOENT\)/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const run = await runInProcess(args);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 naming the file, line and column of a bad scenario', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'name: bad\ntarget:\n  builtin: {}\napps:\n  - name: A\n    dialect: okra\nsteps:\n  - wait-idle: {}\n',
    );
    const run = await runInProcess(['run', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:6:14: apps.0.dialect: Invalid option`);
  });

  it('exits 2 when --api does not take the admin token', async () => {
    const run = await runCommand([
      'wait-idle',
      '--api',
      stack().apiUrl,
      '--admin-token',
      'wrong-token-wrong-token',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--admin-token: ');
  });

  it('compat prints the matrix, writes JSON, JUnit and a report, and exits 0 on a sound server', async () => {
    const org = await createTargetOrg(target, { strictAttributes: false });
    const files = { json: join(dir, 'c.json'), junit: join(dir, 'c.xml'), report: join(dir, 'c.md') };
    const run = await runCommand([
      'compat',
      ...['--scim-url', org.scimBaseUrl, '--token', org.token, '--dialects', 'okta,rfc'],
      ...['--json', files.json, '--junit', files.junit, '--report', files.report],
      ...against(),
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\[1\/22\] Okta \/ connection: pass$/m);
    expect(run.stdout).toMatch(/^step\s+Okta\s+RFC 7644$/m);
    expect(run.stdout).toMatch(/^Group remove\s+ok\s+ok$/m);
    expect(run.stdout).toContain('22 passed, 0 failed, 0 not run');
    expect(run.stdout).not.toContain(org.token);
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(json).toMatchObject({ passed: true, dialects: ['okta', 'rfc'], scimUrl: org.scimBaseUrl });
    expect(json.cells).toHaveLength(22);
    const junit = readFileSync(files.junit, 'utf8');
    expect(junit).toContain(
      '<testsuites name="provisim compat" tests="22" failures="0" errors="0" skipped="0">',
    );
    expect(readFileSync(files.report, 'utf8')).toContain('| Update email/userName | ✅ | ✅ |');
    for (const text of [readFileSync(files.json, 'utf8'), junit]) expect(text).not.toContain(org.token);
  });

  it('compat exits 1 with each failing cell, its exchanges and the IdP docs on a broken server', async () => {
    const org = await createTargetOrg(target, { strictAttributes: false });
    const proxy = await startScimProxy(new URL(stack().targetUrl).origin, (req) =>
      req.method === 'PATCH'
        ? { answer: { status: 405, body: { detail: 'PATCH is not allowed' } } }
        : undefined,
    );
    try {
      const report = join(dir, 'broken.html');
      const junit = join(dir, 'broken.xml');
      const scimUrl = throughOrigin(org.scimBaseUrl, proxy.origin);
      const run = await runCommand([
        'compat',
        ...['--scim-url', scimUrl, '--token', org.token, '--dialects', 'entra'],
        ...['--report', report, '--junit', junit],
        ...against(),
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('FAIL Microsoft Entra ID / Update name');
      expect(run.stdout).toMatch(/> PATCH http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/[^\n]+\/Users\//);
      expect(run.stdout).toContain('"op": "Replace"');
      expect(run.stdout).toContain('< 405');
      expect(run.stdout).toContain('Docs: https://learn.microsoft.com/');
      expect(readFileSync(report, 'utf8')).toContain('<td class="fail">FAIL</td>');
      expect(readFileSync(junit, 'utf8')).toMatch(/<failure message="the update push failed: [^"]*405/);
    } finally {
      await proxy.close();
    }
  });

  it('wait-idle and log export work against a running instance', async () => {
    const { appId } = await setUpAppOnNewOrg(api, {
      requireApproval: { create: false, update: false, delete: true },
    });
    const user = await api.typed.users.create({
      firstname: 'Ada',
      lastname: 'Cli',
      email: `ada.cli.${appId}@example.com`,
    });
    await api.typed.appUsers.assign(appId, user.id);
    const idle = await runCommand(['wait-idle', '--app', appId, '--timeout', '120', ...against()]);
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stdout).toContain(`${appId}: idle`);
    await waitIdle(api, appId);

    const exported = await runCommand([
      'log',
      'export',
      '--app',
      appId,
      '--status',
      'succeeded',
      ...against(),
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const events = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.length).toBeGreaterThan(0);
    expect(
      events.every((e: { appId: string; status: string }) => e.appId === appId && e.status === 'succeeded'),
    ).toBe(true);

    const out = join(dir, 'log.csv');
    const csv = await runCommand([
      'log',
      'export',
      '--format',
      'csv',
      '--app',
      appId,
      '--out',
      out,
      ...against(),
    ]);
    expect(csv.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(appId);

    const bad = await runInProcess(['log', 'export', '--since', 'yesterday', ...against()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: ');
  });

  it('run plays a scenario on its own embedded instance, then stops it and removes its data folder', async () => {
    const junit = join(dir, 'run.xml');
    const scratch = mkdtempSync(join(dir, 'tmp-'));
    const run = await runCommand(['run', 'examples/deprovision-delete.yaml', '--junit', junit], {
      env: { TMPDIR: scratch },
    });
    expect(readdirSync(scratch).filter((name) => name.startsWith('provisim-'))).toEqual([]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\[1\/\d+\] ok {3}examples\/deprovision-delete\.yaml set-up: /m);
    expect(run.stdout).toContain('Deprovision by delete: passed');
    expect(readFileSync(junit, 'utf8')).toContain('name="line 16: assign');
  });

  it('run exits 1 and names the line of a failed expectation', async () => {
    const file = join(dir, 'wrong.yaml');
    writeFileSync(
      file,
      [
        'name: wrong',
        'target: { builtin: { strictAttributes: true } }',
        'apps: [{ name: Calendly, approvals: { create: false, update: false, delete: true } }]',
        'users: [{ key: ada, firstname: Ada, lastname: L, email: ada.wrong@example.com }]',
        'steps:',
        '  - assign: { app: Calendly, users: all }',
        '  - wait-idle: {}',
        '  - expect: { target-users: { count: 2 } }',
        '',
      ].join('\n'),
    );
    const run = await runCommand(['run', file, ...against()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`FAIL ${file}:8 expect`);
    expect(run.stdout).toContain('the target holds 1 user(s), expected 2');
  });
});
