import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMappableUser } from '../../../test/support/mappable-user.ts';
import { AppError } from '../errors/app-error.ts';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './scim-schemas.ts';
import {
  buildScimUser,
  type CustomParameter,
  desiredGroups,
  type MappableUser,
  type MappingParameters,
  scimResourcesEqual,
  validateCustomParameters,
} from './scim-user.ts';

const buildUser = (overrides: Partial<MappableUser> = {}): MappableUser =>
  buildMappableUser({ custom: { costCenter: 'CC-42', team: 'Compilers' }, ...overrides });

const byEmail: MappingParameters = { scimUsername: 'email', custom: [] };

const thrownBy = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('buildScimUser for calendly', () => {
  it('sends exactly userName, displayName, active and externalId', () => {
    expect(buildScimUser('calendly', buildUser(), byEmail)).toEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'ada@example.com',
      displayName: 'Ada Lovelace',
      active: true,
      externalId: 'u-1',
    });
  });

  it('takes userName from the username when SCIM Username is Username, and active from the status', () => {
    const resource = buildScimUser('calendly', buildUser({ status: 'suspended' }), {
      scimUsername: 'username',
      custom: [],
    });
    expect(resource.userName).toBe('ada');
    expect(resource.active).toBe(false);
  });

  it('refuses with 409 scim_username_unset when SCIM Username is not set', () => {
    const error = thrownBy(() => buildScimUser('calendly', buildUser(), { scimUsername: null, custom: [] }));
    expect(error.status).toBe(409);
    expect(error.code).toBe('scim_username_unset');
  });
});

describe('buildScimUser for scim-generic', () => {
  it('sends the core and enterprise schema', () => {
    expect(buildScimUser('scim-generic', buildUser(), byEmail)).toEqual({
      schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      displayName: 'Ada Lovelace',
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      title: 'Analyst',
      active: true,
      externalId: 'u-1',
      [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering' },
    });
  });

  it('leaves out title and the enterprise extension when the user has neither', () => {
    const resource = buildScimUser('scim-generic', buildUser({ title: null, department: null }), byEmail);
    expect(resource).not.toHaveProperty('title');
    expect(resource).not.toHaveProperty([ENTERPRISE_USER_SCHEMA]);
    expect(resource.schemas).toEqual([CORE_USER_SCHEMA]);
  });

  it('writes custom parameters to core, sub- and extension attributes, skipping empty sources', () => {
    const custom: CustomParameter[] = [
      { name: 'Cost center', source: 'custom.costCenter', target: `${ENTERPRISE_USER_SCHEMA}:costCenter` },
      { name: 'Nickname', source: 'username', target: 'nickName' },
      { name: 'Middle', source: 'custom.team', target: 'name.middleName' },
      { name: 'Locale', source: 'custom.locale', target: 'locale' },
      {
        name: 'Org',
        source: 'department',
        target: 'urn:example:params:scim:schemas:extension:acme:2.0:User:org',
      },
    ];
    const resource = buildScimUser('scim-generic', buildUser(), { scimUsername: 'email', custom });
    expect(resource[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Engineering', costCenter: 'CC-42' });
    expect(resource.nickName).toBe('ada');
    expect(resource.name).toEqual({
      givenName: 'Ada',
      familyName: 'Lovelace',
      formatted: 'Ada Lovelace',
      middleName: 'Compilers',
    });
    expect(resource).not.toHaveProperty('locale');
    expect(resource['urn:example:params:scim:schemas:extension:acme:2.0:User']).toEqual({
      org: 'Engineering',
    });
    expect(resource.schemas).toEqual([
      CORE_USER_SCHEMA,
      'urn:example:params:scim:schemas:extension:acme:2.0:User',
      ENTERPRISE_USER_SCHEMA,
    ]);
  });
});

describe('desiredGroups', () => {
  const custom: CustomParameter[] = [
    { name: 'Dept group', source: 'department', target: 'groups' },
    { name: 'Team group', source: 'custom.team', target: 'groups' },
    { name: 'Again', source: 'department', target: 'groups' },
    { name: 'Missing', source: 'custom.nothing', target: 'groups' },
    { name: 'Title', source: 'title', target: 'title' },
  ];

  it('collects distinct non-empty values of the parameters that target groups', () => {
    expect(desiredGroups('scim-generic', buildUser(), { scimUsername: 'email', custom })).toEqual([
      'Engineering',
      'Compilers',
    ]);
  });

  it('is empty for calendly', () => {
    expect(desiredGroups('calendly', buildUser(), { scimUsername: 'email', custom })).toEqual([]);
  });
});

describe('validateCustomParameters', () => {
  it('accepts well-formed parameters on the generic app', () => {
    expect(() =>
      validateCustomParameters('scim-generic', [
        { name: 'Dept', source: 'department', target: 'groups' },
        { name: 'Cost', source: 'custom.cost_center', target: `${ENTERPRISE_USER_SCHEMA}:costCenter` },
      ]),
    ).not.toThrow();
  });

  it('refuses any custom parameter on calendly', () => {
    const error = thrownBy(() =>
      validateCustomParameters('calendly', [{ name: 'Dept', source: 'department', target: 'title' }]),
    );
    expect(error.status).toBe(400);
    expect(error.details).toMatchObject({ field: 'custom' });
  });

  it.each([
    [{ name: 'x', source: 'salary', target: 'title' }, 'custom.0.source'],
    [{ name: 'x', source: 'department', target: 'emails[type eq "work"].value' }, 'custom.0.target'],
    [{ name: 'x', source: 'department', target: 'userName' }, 'custom.0.target'],
    [{ name: 'x', source: 'department', target: 'active' }, 'custom.0.target'],
    [{ name: 'x', source: 'email', target: 'emails' }, 'custom.0.target'],
    [{ name: '', source: 'department', target: 'title' }, 'custom.0.name'],
  ])('refuses %o naming %s', (parameter, field) => {
    const error = thrownBy(() => validateCustomParameters('scim-generic', [parameter]));
    expect(error.status).toBe(400);
    expect(error.details).toMatchObject({ field });
  });

  it('refuses two parameters with the same name', () => {
    const error = thrownBy(() =>
      validateCustomParameters('scim-generic', [
        { name: 'Dept', source: 'department', target: 'title' },
        { name: 'dept', source: 'department', target: 'groups' },
      ]),
    );
    expect(error.details).toMatchObject({ field: 'custom.1.name' });
  });
});

describe('scimResourcesEqual', () => {
  it('ignores key order at every depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (extra) => {
        const a = { ...buildScimUser('scim-generic', buildUser(), byEmail), extra };
        const reversed = (value: unknown): unknown =>
          Array.isArray(value)
            ? value.map(reversed)
            : value !== null && typeof value === 'object'
              ? Object.fromEntries(
                  Object.entries(value)
                    .reverse()
                    .map(([k, v]) => [k, reversed(v)]),
                )
              : value;
        return scimResourcesEqual(a, reversed(a) as typeof a);
      }),
    );
  });

  it('sees a change in a nested attribute and a missing key', () => {
    const a = buildScimUser('scim-generic', buildUser(), byEmail);
    const moved = buildScimUser('scim-generic', buildUser({ department: 'Sales' }), byEmail);
    const { title: _dropped, ...withoutTitle } = a;
    expect(scimResourcesEqual(a, moved)).toBe(false);
    expect(scimResourcesEqual(a, withoutTitle as typeof a)).toBe(false);
  });
});
