import { describe, expect, it } from 'vitest';
import { applyPatch, canonicalPath } from './scim-patch.ts';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA } from './scim-schemas.ts';

describe('canonicalPath', () => {
  it.each([
    ['Name.GivenName', 'name.givenName'],
    ['EMAILS[type eq "work"].VALUE', 'emails[type eq "work"].value'],
    ['urn:ietf:params:scim:schemas:core:2.0:User:USERNAME', 'userName'],
    [`${ENTERPRISE_SCHEMA}:Department`, `${ENTERPRISE_SCHEMA}:department`],
  ])('%s → %s', (path, expected) => {
    expect(canonicalPath('User', path)).toBe(expected);
  });

  it('refuses unknown attributes with invalidPath', () => {
    expect(() => canonicalPath('User', 'shoeSize')).toThrow(
      expect.objectContaining({ scimType: 'invalidPath' }),
    );
  });
});

describe('applyPatch', () => {
  it('leaves the stored resource untouched and returns the validated copy', () => {
    const current = {
      id: 'u1',
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'a',
      active: true,
    };
    const frozen = structuredClone(current);
    const next = applyPatch('User', current, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(next).toMatchObject({ id: 'u1', userName: 'a', active: false });
    expect(current).toEqual(frozen);
  });
});
