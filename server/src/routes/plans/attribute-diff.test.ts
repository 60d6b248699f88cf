import { describe, expect, it } from 'vitest';
import { diffResources } from './attribute-diff.ts';

const ada = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'abc',
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', primary: true }],
  active: true,
};

describe('diffResources', () => {
  it('lists each changed leaf by its SCIM path, old and new', () => {
    const renamed = { ...ada, name: { givenName: 'Ada', familyName: 'King' }, active: false };
    expect(diffResources(ada, renamed)).toEqual([
      { attribute: 'active', from: true, to: false },
      { attribute: 'name.familyName', from: 'Lovelace', to: 'King' },
    ]);
  });

  it('treats a missing account as empty: a create lists every attribute it sets, a delete every one it drops', () => {
    const created = diffResources(null, ada);
    expect(created.map((change) => change.attribute)).toEqual([
      'active',
      'emails[0].primary',
      'emails[0].value',
      'name.familyName',
      'name.givenName',
      'userName',
    ]);
    expect(created.every((change) => change.from === null)).toBe(true);
    expect(diffResources(ada, null).every((change) => change.to === null)).toBe(true);
  });

  it('finds nothing when only schemas, id or meta differ', () => {
    expect(diffResources(ada, { ...ada, id: 'other', meta: { version: 'W/"2"' } })).toEqual([]);
  });
});
