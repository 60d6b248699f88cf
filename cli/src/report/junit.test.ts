import { describe, expect, it } from 'vitest';
import { renderJUnit } from './junit.ts';

describe('JUnit XML', () => {
  it('counts cases and escapes what XML cannot carry as is', () => {
    const xml = renderJUnit('provisim compat', [
      {
        name: 'compat Okta',
        cases: [
          { name: 'Create', classname: 'compat.okta', status: 'pass' },
          {
            name: 'Update <name>',
            classname: 'compat.okta',
            status: 'fail',
            message: 'a "quoted" & bad\u0001 value',
            details: '> PATCH\n< 405',
          },
          { name: 'Delete', classname: 'compat.okta', status: 'skip', message: 'not run: needs create' },
        ],
      },
    ]);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="provisim compat" tests="3" failures="1" errors="0" skipped="1">',
        '  <testsuite name="compat Okta" tests="3" failures="1" errors="0" skipped="1">',
        '    <testcase classname="compat.okta" name="Create"/>',
        '    <testcase classname="compat.okta" name="Update &lt;name&gt;">',
        '      <failure message="a &quot;quoted&quot; &amp; bad value">&gt; PATCH\n&lt; 405</failure>',
        '    </testcase>',
        '    <testcase classname="compat.okta" name="Delete">',
        '      <skipped message="not run: needs create"/>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });
});
