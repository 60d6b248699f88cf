import { describe, expect, it } from 'vitest';
import { buildMappableUser } from '../../../test/support/mappable-user.ts';
import { AppError } from '../errors/app-error.ts';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './scim-schemas.ts';
import { parameterShortName } from './scim-template.ts';
import { DEFAULT_SCIM_JSON_TEMPLATE } from './scim-template-macros.ts';
import { buildScimUser, type MappingParameters, validateScimTemplate } from './scim-user.ts';

const user = buildMappableUser({ title: null, custom: { cost_center: 'CC-42' } });

const withTemplate = (
  scimJsonTemplate: string,
  extra: Partial<MappingParameters> = {},
): MappingParameters => ({
  scimUsername: 'email',
  custom: [],
  scimJsonTemplate,
  ...extra,
});

const refusal = (template: string, custom: MappingParameters['custom'] = []) => {
  try {
    validateScimTemplate(template, custom);
  } catch (error) {
    if (error instanceof AppError)
      return { status: error.status, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected the template to be refused');
};

describe('SCIM JSON Template', () => {
  it('renders OneLogin macros, leaving out attributes whose only macro is empty', () => {
    const resource = buildScimUser('scim-generic', user, withTemplate(DEFAULT_SCIM_JSON_TEMPLATE));
    expect(resource).toEqual({
      schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'ada@example.com',
      externalId: 'u-1',
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      displayName: 'Ada Lovelace',
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering' },
      active: true,
    });
  });

  it('fills custom-field and parameter macros, mixes text and macros, and keeps active from the directory', () => {
    const template = `{
      "userName": "{$user.username}",
      "nickName": "{$user.firstname} from {$user.department}",
      "costCenter": "{$user.custom_fields.cost_center}",
      "team": "{$parameters.${parameterShortName('Team Name')}}",
      "active": false
    }`;
    const custom = [{ name: 'Team Name', source: 'department', target: 'groups' }];
    const resource = buildScimUser(
      'scim-generic',
      { ...user, status: 'suspended' },
      withTemplate(template, { scimUsername: 'username', custom }),
    );
    expect(resource).toEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'ada',
      nickName: 'Ada from Engineering',
      costCenter: 'CC-42',
      team: 'Engineering',
      active: false,
    });
  });

  it('sends only what Calendly accepts in strict mode when the template says so', () => {
    const strict = `{"schemas":["${CORE_USER_SCHEMA}"],"userName":"{$parameters.scimusername}","displayName":"{$user.display_name}","externalId":"{$user.id}"}`;
    expect(Object.keys(buildScimUser('scim-generic', user, withTemplate(strict))).sort()).toEqual([
      'active',
      'displayName',
      'externalId',
      'schemas',
      'userName',
    ]);
  });

  it('is ignored by the Calendly catalog app', () => {
    const resource = buildScimUser('calendly', user, withTemplate('{"userName":"{$user.username}"}'));
    expect(resource.userName).toBe('ada@example.com');
  });

  it('refuses an unknown macro, naming line, column and JSON path', () => {
    const template =
      '{\n  "userName": "{$parameters.scimusername}",\n  "name": { "givenName": "Dr {$user.nickname}" }\n}';
    expect(refusal(template)).toEqual({
      status: 400,
      message: 'scimJsonTemplate: unknown macro {$user.nickname} at line 3, column 30 ($.name.givenName)',
      details: { field: 'scimJsonTemplate', details: { line: 3, column: 30, path: '$.name.givenName' } },
    });
  });

  it('refuses a parameter macro whose parameter the app does not have, and accepts it once it does', () => {
    const template =
      '{"userName":"{$parameters.scimusername}","emails":[{"value":"{$parameters.work_email}"}]}';
    expect(refusal(template).details).toMatchObject({ details: { path: '$.emails[0].value' } });
    expect(() =>
      validateScimTemplate(template, [{ name: 'Work email', source: 'email', target: 'title' }]),
    ).not.toThrow();
  });

  it('refuses invalid JSON at the place the parser stopped', () => {
    expect(refusal('{\n  "userName": "{$user.email}",\n}')).toMatchObject({
      message: 'scimJsonTemplate: invalid JSON: PropertyNameExpected at line 3, column 1 ($)',
    });
  });

  it('refuses a template that drops userName, a macro left open and a macro in a name', () => {
    expect(refusal('{"displayName":"{$user.display_name}"}').details).toMatchObject({
      details: { path: '$.userName' },
    });
    expect(refusal('{"userName":"{$user.email"}').message).toMatch(/not closed.*\(\$\.userName\)/);
    expect(refusal('{"userName":"x","{$user.email}":"y"}').message).toMatch(/names/);
    expect(refusal('[1]').message).toMatch(/must be a JSON object/);
  });
});
