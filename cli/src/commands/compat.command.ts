import { DIALECTS, type Dialect } from '../../../shared/src/mapping/scim-dialects.ts';
import {
  type CliIo,
  EXIT,
  INSTANCE_FLAGS,
  parseFlags,
  required,
  secondsFlag,
  UsageError,
} from '../cli-io.ts';
import { compatHtml, compatJUnit, compatMarkdown, compatText } from '../compat/compat-report.ts';
import { COMPAT_STEPS } from '../compat/compat-steps.ts';
import { IDP_NAMES } from '../compat/idp-behaviours.ts';
import { runCompat } from '../compat/run-compat.ts';
import { createScimReader } from '../compat/scim-reader.ts';
import { withInstance } from '../instance.ts';
import { createProgress } from '../progress.ts';
import { writeReport } from '../report/write-file.ts';

export const COMPAT_USAGE = `provisim compat --scim-url URL --token TOKEN [--dialects onelogin,okta,entra,rfc]
                [--json FILE] [--junit FILE] [--report FILE.md|FILE.html] [--step-timeout SECONDS]
                [--api URL --admin-token T]`;

const OPTIONS = {
  'scim-url': { type: 'string' },
  token: { type: 'string' },
  dialects: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  report: { type: 'string' },
  'step-timeout': { type: 'string' },
  ...INSTANCE_FLAGS,
} as const;

const ALL_DIALECTS = Object.keys(DIALECTS) as Dialect[];

function dialectsFlag(value: string | undefined): Dialect[] {
  if (value === undefined) return ALL_DIALECTS;
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  for (const name of names)
    if (!(ALL_DIALECTS as string[]).includes(name))
      throw new UsageError(`--dialects: unknown dialect "${name}" (use ${ALL_DIALECTS.join(', ')})`);
  return [...new Set(names)] as Dialect[];
}

function reportFormat(path: string | undefined): ((r: Parameters<typeof compatHtml>[0]) => string) | null {
  if (path === undefined) return null;
  if (/\.md$/i.test(path)) return compatMarkdown;
  if (/\.html?$/i.test(path)) return compatHtml;
  throw new UsageError(`--report: "${path}" must end in .md or .html`);
}

/** `provisim compat`: an IdP-compatibility matrix for one SCIM server. */
export async function compatCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  const scimUrl = required('scim-url', values['scim-url']).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(scimUrl))
    throw new UsageError(`--scim-url: "${scimUrl}" is not an http(s) URL`);
  const token = required('token', values.token);
  const dialects = dialectsFlag(values.dialects);
  const stepTimeoutMs = secondsFlag('step-timeout', values['step-timeout'], 120);
  const renderReport = reportFormat(values.report);

  // An IdP gives up on a refusing server after a few tries; so does an embedded compat run.
  const result = await withInstance(
    values,
    io.startEmbedded,
    async ({ client }) => {
      const progress = createProgress(io, dialects.length * COMPAT_STEPS.length, 'compat');
      try {
        return await runCompat({
          client,
          scim: createScimReader(scimUrl, token),
          scimUrl,
          token,
          dialects,
          stepTimeoutMs,
          onCell: (cell) => progress.tick(`${IDP_NAMES[cell.dialect]} / ${cell.step}: ${cell.status}`),
        });
      } finally {
        progress.stop();
      }
    },
    { PROVISIM_PUSH_ATTEMPTS: '3', PROVISIM_RETRY_BASE_MS: '200' },
  );

  io.stdout.write(`\n${compatText(result)}`);
  if (values.json) writeReport('json', values.json, `${JSON.stringify(result, null, 2)}\n`);
  if (values.junit) writeReport('junit', values.junit, compatJUnit(result));
  if (values.report && renderReport) writeReport('report', values.report, renderReport(result));
  return result.passed ? EXIT.passed : EXIT.failed;
}
