import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inlineValuePathSubAttributes, matches, parseFilter, quoteBareValues } from './scim-filter.ts';

const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const;

describe('quoteBareValues', () => {
  it('leaves filters whose values are already JSON untouched, whatever the quoted text holds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPERATORS), fc.string(), (op, value) => {
        const filter = `userName ${op} ${JSON.stringify(value)} and active eq true`;
        expect(quoteBareValues(filter)).toBe(filter);
      }),
    );
  });

  it('quotes bare words after an operator and lower-cases bare literals', () => {
    expect(quoteBareValues('name.familyName eq Employee and (x co example.com)')).toBe(
      'name.familyName eq "Employee" and (x co "example.com")',
    );
    expect(quoteBareValues('active EQ TRUE and n gt 5')).toBe('active EQ true and n gt 5');
  });
});

describe('inlineValuePathSubAttributes', () => {
  it.each([
    ['emails[type eq "work"].value co "x"', 'emails[(type eq "work") and value co "x"]'],
    [
      'emails[type eq "a]b"].value pr or userName eq "u"',
      'emails[(type eq "a]b") and value pr] or userName eq "u"',
    ],
    ['emails[type eq "work"] and emails.value co "x"', 'emails[type eq "work"] and emails.value co "x"'],
  ])('%s → %s', (filter, expected) => {
    expect(inlineValuePathSubAttributes(filter)).toBe(expected);
  });
});

describe('matches', () => {
  const user = {
    userName: 'Alice@Acme.test',
    externalId: 'Ext-1',
    emails: [{ value: 'a@x.test', type: 'work' }],
  };

  it('compares caseExact=false attributes ignoring case and caseExact ones exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom('ALICE@ACME.TEST', 'alice@acme.test', 'Alice@Acme.test'), (name) => {
        expect(matches('User', parseFilter(`userName eq "${name}"`), user)).toBe(true);
      }),
    );
    expect(matches('User', parseFilter('externalId eq "ext-1"'), user)).toBe(false);
    expect(matches('User', parseFilter('externalId eq "Ext-1"'), user)).toBe(true);
  });

  it('answers invalidFilter for what it cannot parse', () => {
    expect(() => parseFilter('userName eq')).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidFilter' }),
    );
  });
});

describe('parseFilter bounds', () => {
  it('refuses nesting deeper than 32 levels with invalidFilter before the parser recurses', () => {
    for (const filter of [
      `${'('.repeat(33)}userName eq "a"${')'.repeat(33)}`,
      `${'emails['.repeat(33)}value eq "a"${']'.repeat(33)}`,
      `${'not ('.repeat(4000)}userName eq "a"${')'.repeat(4000)}`,
    ]) {
      expect(() => parseFilter(filter)).toThrow(
        expect.objectContaining({ status: 400, scimType: 'invalidFilter' }),
      );
    }
    expect(
      matches('User', parseFilter(`${'('.repeat(32)}userName eq "a"${')'.repeat(32)}`), { userName: 'a' }),
    ).toBe(true);
  });
});
