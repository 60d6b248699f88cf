import { describe, expect, it } from 'vitest';
import { attributeDiffs, observedResource } from './attribute-diff.ts';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './scim-schemas.ts';
import type { ScimUser } from './scim-user.ts';

const desired: ScimUser = {
  schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName: 'ada@example.com',
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering' },
};

describe('drift between the mapping and what a target holds', () => {
  it('ignores what the target adds of its own, SCIM name case and userName case', () => {
    const actual = {
      id: 'x',
      meta: { version: 'W/"1"' },
      schemas: [CORE_USER_SCHEMA],
      USERNAME: 'ADA@example.com',
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true, display: 'Ada' }],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering', manager: { value: 'm' } },
      groups: [{ value: 'g' }],
    };
    const observed = observedResource(desired, actual);
    expect(attributeDiffs(desired, observed)).toEqual([]);
    expect(observed.schemas).toEqual(desired.schemas);
  });

  it('names each differing attribute by its path, with null for one the target lacks', () => {
    const actual = {
      userName: 'ada@example.com',
      active: false,
      name: { givenName: 'Augusta', familyName: 'Lovelace' },
      emails: [{ value: 'ada@home.test', type: 'home' }],
    };
    expect(attributeDiffs(desired, observedResource(desired, actual))).toEqual([
      { path: 'active', expected: true, actual: false },
      { path: 'name.givenName', expected: 'Ada', actual: 'Augusta' },
      { path: 'emails', expected: desired.emails, actual: [{ value: 'ada@home.test', type: 'home' }] },
      { path: `${ENTERPRISE_USER_SCHEMA}:department`, expected: 'Engineering', actual: null },
    ]);
  });
});
