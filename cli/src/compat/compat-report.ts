import { escapeXml, type JUnitSuite, renderJUnit } from '../report/junit.ts';
import { COMPAT_STEPS, type StepId } from './compat-steps.ts';
import { IDP_NAMES } from './idp-behaviours.ts';
import type { Cell, CellStatus, CompatResult } from './run-compat.ts';
import type { Exchange } from './scim-reader.ts';

const MARKS: Readonly<Record<CellStatus, string>> = { pass: 'ok', fail: 'FAIL', skip: '-' };
const titleOf = (step: StepId) => COMPAT_STEPS.find((s) => s.id === step)?.title ?? step;
const cellAt = (result: CompatResult, step: StepId, dialect: string) =>
  result.cells.find((c) => c.step === step && c.dialect === dialect);

/** The steps × IdPs grid: one row per step, one column per dialect, `cell` rendering each. */
function grid(result: CompatResult, cell: (c: Cell | undefined) => string): string[][] {
  return [
    ['step', ...result.dialects.map((d) => IDP_NAMES[d])],
    ...result.steps.map((step) => [
      titleOf(step),
      ...result.dialects.map((d) => cell(cellAt(result, step, d))),
    ]),
  ];
}

const pretty = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body, null, 2));

/** One request and its answer, as plain text: `> ` what was sent, `< ` what came back. */
export function exchangeText(exchange: Exchange): string {
  const lines = [`> ${exchange.request.method} ${exchange.request.url}`];
  if (exchange.request.body !== undefined)
    lines.push(
      ...pretty(exchange.request.body)
        .split('\n')
        .map((l) => `> ${l}`),
    );
  if ('error' in exchange.response) lines.push(`< (no answer: ${exchange.response.error})`);
  else {
    lines.push(`< ${exchange.response.status}`);
    if (exchange.response.body !== undefined && exchange.response.body !== null)
      lines.push(
        ...pretty(exchange.response.body)
          .split('\n')
          .map((l) => `< ${l}`),
      );
  }
  return lines.join('\n');
}

const failureText = (cell: Cell) =>
  [
    cell.message,
    `IdP behaviour: ${cell.behaviour.text}`,
    `Docs: ${cell.behaviour.docs}`,
    ...cell.exchanges.map(exchangeText),
  ].join('\n\n');

const failures = (result: CompatResult) => result.cells.filter((c) => c.status === 'fail');

/** The matrix for a terminal, then every failed cell with its exchanges. */
export function compatText(result: CompatResult): string {
  const rows = grid(result, (c) => (c ? MARKS[c.status] : ''));
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows.map((r) =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const out = [`SCIM server: ${result.scimUrl}`, '', ...table];
  for (const cell of failures(result)) {
    out.push('', `FAIL ${IDP_NAMES[cell.dialect]} / ${titleOf(cell.step)}`);
    out.push(
      ...failureText(cell)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  const counts = (status: CellStatus) => result.cells.filter((c) => c.status === status).length;
  out.push('', `${counts('pass')} passed, ${counts('fail')} failed, ${counts('skip')} not run`);
  return `${out.join('\n')}\n`;
}

const fence = (text: string) => `\n\`\`\`\n${text.replaceAll('```', "'''")}\n\`\`\`\n`;

export function compatMarkdown(result: CompatResult): string {
  const rows = grid(result, (c) => (c ? { pass: '✅', fail: '❌', skip: '–' }[c.status] : ''));
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  const out = [
    '# SCIM compatibility report',
    '',
    `Server: \`${result.scimUrl}\` — ${result.startedAt} to ${result.finishedAt}`,
    '',
    line(rows[0] ?? []),
    line((rows[0] ?? []).map(() => '---')),
    ...rows.slice(1).map(line),
  ];
  for (const cell of failures(result)) {
    out.push('', `## ❌ ${IDP_NAMES[cell.dialect]}: ${titleOf(cell.step)}`, '', cell.message, '');
    out.push(`IdP behaviour: ${cell.behaviour.text} ([docs](${cell.behaviour.docs}))`);
    for (const exchange of cell.exchanges) out.push(fence(exchangeText(exchange)));
  }
  return `${out.join('\n')}\n`;
}

export function compatHtml(result: CompatResult): string {
  const e = escapeXml;
  const rows = grid(result, (c) => (c ? c.status : ''));
  const [head = [], ...body] = rows;
  const table = [
    `<tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`,
    ...body.map(
      ([title = '', ...statuses]) =>
        `<tr><th>${e(title)}</th>${statuses.map((s) => `<td class="${e(s)}">${e(MARKS[s as CellStatus] ?? '')}</td>`).join('')}</tr>`,
    ),
  ].join('\n');
  const details = failures(result)
    .map(
      (cell) =>
        `<section><h2>${e(`${IDP_NAMES[cell.dialect]}: ${titleOf(cell.step)}`)}</h2><p>${e(cell.message)}</p>` +
        `<p>IdP behaviour: ${e(cell.behaviour.text)} (<a href="${e(cell.behaviour.docs)}">docs</a>)</p>` +
        cell.exchanges.map((x) => `<pre>${e(exchangeText(x))}</pre>`).join('') +
        '</section>',
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SCIM compatibility report</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
td.pass{background:#d9f2d9}td.fail{background:#f8d0d0;font-weight:bold}td.skip{color:#888}pre{background:#f4f4f4;padding:.5rem;overflow:auto}</style></head>
<body><h1>SCIM compatibility report</h1><p>Server: <code>${e(result.scimUrl)}</code>, ${e(result.startedAt)} to ${e(result.finishedAt)}</p>
<table>${table}</table>
${details}
</body></html>
`;
}

export function compatJUnit(result: CompatResult): string {
  const suites: JUnitSuite[] = result.dialects.map((dialect) => ({
    name: `compat ${IDP_NAMES[dialect]}`,
    cases: result.cells
      .filter((c) => c.dialect === dialect)
      .map((c) => ({
        name: titleOf(c.step),
        classname: `compat.${dialect}`,
        status: c.status,
        message: c.message,
        details: c.status === 'fail' ? failureText(c) : undefined,
      })),
  }));
  return renderJUnit('provisim compat', suites);
}
