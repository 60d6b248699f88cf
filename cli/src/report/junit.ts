/** JUnit XML as CI systems read it (GitHub Actions test reporters, GitLab, Jenkins): suites of test cases. */
export interface JUnitCase {
  name: string;
  classname: string;
  status: 'pass' | 'fail' | 'skip';
  message?: string;
  /** Failure body: the exact requests and responses. */
  details?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

// Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the ones to drop
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export const escapeXml = (text: string): string =>
  text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);

const attrs = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');

function renderCase(test: JUnitCase): string {
  const open = `    <testcase${attrs({ classname: test.classname, name: test.name })}`;
  if (test.status === 'pass') return `${open}/>`;
  if (test.status === 'skip')
    return `${open}>\n      <skipped${attrs({ message: test.message ?? '' })}/>\n    </testcase>`;
  return `${open}>\n      <failure${attrs({ message: test.message ?? 'failed' })}>${escapeXml(test.details ?? '')}</failure>\n    </testcase>`;
}

/** A `<testsuites>` document; counts are derived from the cases. */
export function renderJUnit(name: string, suites: readonly JUnitSuite[]): string {
  const count = (cases: readonly JUnitCase[], status: JUnitCase['status']) =>
    cases.filter((c) => c.status === status).length;
  const all = suites.flatMap((s) => s.cases);
  const body = suites.map((suite) => {
    const head = `  <testsuite${attrs({
      name: suite.name,
      tests: suite.cases.length,
      failures: count(suite.cases, 'fail'),
      errors: 0,
      skipped: count(suite.cases, 'skip'),
    })}>`;
    return [head, ...suite.cases.map(renderCase), '  </testsuite>'].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name, tests: all.length, failures: count(all, 'fail'), errors: 0, skipped: count(all, 'skip') })}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
