import { describe, expect, it } from 'vitest';
import { diffOperations, patchMessage } from './patch-ops.ts';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './scim-schemas.ts';

const previous = {
  schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace', middleName: 'King' },
  emails: [{ value: 'ada@example.com', primary: true }],
  title: 'Analyst',
  active: true,
  [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering', manager: { value: 'm-1' } },
};

describe('diffOperations', () => {
  it('is empty when nothing changed, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(previous).reverse());
    expect(diffOperations(previous, reordered)).toEqual([]);
  });

  it('replaces changed leaves, adds new ones and removes dropped ones, down to sub-attributes', () => {
    const desired = {
      ...previous,
      schemas: [CORE_USER_SCHEMA],
      name: { givenName: 'Ada', familyName: 'Byron' },
      emails: [{ value: 'ada@byron.org', primary: true }],
      nickName: 'ada',
      active: false,
      [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm-2' } },
    };
    delete (desired as Partial<typeof desired>).title;
    expect(diffOperations(previous, desired)).toEqual([
      { op: 'replace', path: 'name.familyName', value: 'Byron' },
      { op: 'remove', path: 'name.middleName' },
      { op: 'replace', path: 'emails', value: [{ value: 'ada@byron.org', primary: true }] },
      { op: 'remove', path: 'title' },
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Sales' },
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager.value`, value: 'm-2' },
      { op: 'add', path: 'nickName', value: 'ada' },
    ]);
  });

  it('adds or removes an extension attribute by attribute', () => {
    const { [ENTERPRISE_USER_SCHEMA]: _extension, ...withoutExtension } = previous;
    expect(diffOperations(previous, withoutExtension)).toEqual([
      { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:department` },
      { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:manager` },
    ]);
    expect(diffOperations(withoutExtension, previous)).toEqual([
      { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Engineering' },
      { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: { value: 'm-1' } },
    ]);
  });

  it('replaces every attribute when the previous state is unknown', () => {
    expect(diffOperations(null, { schemas: [CORE_USER_SCHEMA], userName: 'a', active: true })).toEqual([
      { op: 'replace', path: 'userName', value: 'a' },
      { op: 'replace', path: 'active', value: true },
    ]);
  });
});

describe('patchMessage', () => {
  it('wraps operations in a PatchOp message with the dialect spelling', () => {
    const names = { add: 'Add', replace: 'Replace', remove: 'Remove' };
    expect(patchMessage([{ op: 'replace', path: 'active', value: false }], names)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: false }],
    });
  });
});
