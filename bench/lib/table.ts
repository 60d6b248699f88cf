export type Cell = string | number;

const show = (cell: Cell): string =>
  typeof cell === 'number' ? (Number.isInteger(cell) ? String(cell) : cell.toFixed(cell < 10 ? 2 : 1)) : cell;

/** A Markdown table (readable in a terminal and pasteable into the README); numbers right-aligned. */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map(show));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...text.map(line)].join('\n');
}
