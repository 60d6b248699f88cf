import { z } from 'zod';
import { badRequest, conflict } from '../errors/app-error.ts';
import { invalidInput } from '../errors/invalid-input.ts';
import { type AttributePath, parseAttributePath, setAttribute } from './attribute-path.ts';
import { deepEqual } from './deep-equal.ts';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './scim-schemas.ts';
import { compileScimTemplate, parameterShortName, renderScimTemplate } from './scim-template.ts';

export type ConnectorId = 'calendly' | 'scim-generic';

export interface MappableUser {
  id: string;
  firstname: string;
  lastname: string;
  email: string;
  username: string;
  department: string | null;
  title: string | null;
  custom: Record<string, string>;
  status: 'active' | 'suspended';
}

export interface CustomParameter {
  name: string;
  source: string;
  target: string;
}

export interface MappingParameters {
  scimUsername: 'email' | 'username' | null;
  custom: CustomParameter[];
  /** The SCIM Provisioner's SCIM JSON Template; when set it is the whole user resource but `active`. */
  scimJsonTemplate?: string | null | undefined;
}

export type ScimUser = Record<string, unknown> & { schemas: string[]; userName: string; active: boolean };

export const GROUPS_TARGET = 'groups';
const USER_FIELDS = ['department', 'title', 'email', 'username', 'firstname', 'lastname'] as const;
const CUSTOM_SOURCE = /^custom\.[A-Za-z0-9_.-]+$/;
// The mapping owns the first ones (overwriting them would break lookup, linking or suspension); the
// multi-valued core attributes take lists of complex values, which a single user field cannot fill.
const UNMAPPABLE_ATTRIBUTES = new Set([
  'schemas',
  'id',
  'meta',
  'username',
  'active',
  'externalid',
  'groups',
  'emails',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
  'entitlements',
  'roles',
  'x509certificates',
]);

const targetPath = (target: string): AttributePath | null => {
  const path = parseAttributePath(target);
  if (!path) return null;
  return path.schema === CORE_USER_SCHEMA ? { ...path, schema: null } : path;
};

/** What a custom parameter must be to map: its shape is app.schema.ts's customParameterSchema, this checks its meaning. */
const mappableParameterSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  source: z
    .string()
    .refine(
      (source) => (USER_FIELDS as readonly string[]).includes(source) || CUSTOM_SOURCE.test(source),
      `must be one of ${USER_FIELDS.join(', ')} or custom.<key>`,
    ),
  target: z.string().refine((target) => {
    if (target === GROUPS_TARGET) return true;
    const path = targetPath(target);
    return (
      path !== null && !(path.schema === null && UNMAPPABLE_ATTRIBUTES.has(path.attribute.toLowerCase()))
    );
  }, 'must be "groups" or a writable SCIM attribute path such as "title" or "urn:...:User:department"'),
});

export function validateCustomParameters(connector: ConnectorId, custom: CustomParameter[]): void {
  if (connector === 'calendly' && custom.length > 0) {
    throw badRequest(
      'custom',
      'Calendly does not support custom parameters; use the SCIM Provisioner app to map attributes or groups.',
    );
  }
  const names = new Set<string>();
  custom.forEach((parameter, index) => {
    const result = mappableParameterSchema.safeParse(parameter);
    if (!result.success) throw invalidInput(result.error, ['custom', index]);
    const name = result.data.name.toLowerCase();
    if (names.has(name))
      throw badRequest(`custom.${index}.name`, `duplicates the parameter "${result.data.name}"`);
    names.add(name);
  });
}

const sourceValue = (user: MappableUser, source: string): string | null => {
  const value = source.startsWith('custom.')
    ? user.custom[source.slice('custom.'.length)]
    : user[source as (typeof USER_FIELDS)[number]];
  return value === undefined || value === null || value === '' ? null : value;
};

const scimUserName = (user: MappableUser, params: MappingParameters): string => {
  if (params.scimUsername === null) {
    throw conflict('scim_username_unset', 'Set the SCIM Username parameter before provisioning this app.');
  }
  return params.scimUsername === 'email' ? user.email : user.username;
};

const displayName = (user: MappableUser): string => `${user.firstname} ${user.lastname}`.trim();

const calendlyUser = (user: MappableUser, params: MappingParameters): ScimUser => ({
  schemas: [CORE_USER_SCHEMA],
  userName: scimUserName(user, params),
  displayName: displayName(user),
  active: user.status === 'active',
  externalId: user.id,
});

const genericUser = (user: MappableUser, params: MappingParameters): ScimUser => {
  const resource: ScimUser = {
    schemas: [CORE_USER_SCHEMA],
    userName: scimUserName(user, params),
    name: { givenName: user.firstname, familyName: user.lastname, formatted: displayName(user) },
    displayName: displayName(user),
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.status === 'active',
    externalId: user.id,
  };
  if (user.title) resource.title = user.title;
  if (user.department)
    setAttribute(
      resource,
      { schema: ENTERPRISE_USER_SCHEMA, attribute: 'department', subAttribute: null },
      user.department,
    );
  for (const parameter of params.custom) {
    const path = parameter.target === GROUPS_TARGET ? null : targetPath(parameter.target);
    const value = sourceValue(user, parameter.source);
    if (path && value !== null) setAttribute(resource, path, value);
  }
  const extensions = Object.keys(resource).filter((key) => key.startsWith('urn:'));
  resource.schemas = [CORE_USER_SCHEMA, ...extensions.sort()];
  return resource;
};

/** Checks the SCIM JSON Template against the parameters it may name; a problem is a 400 naming its place. */
export function validateScimTemplate(
  template: string | null | undefined,
  custom: CustomParameter[],
  field?: string,
): void {
  if (template)
    compileScimTemplate(
      template,
      custom.map((parameter) => parameter.name),
      field,
    );
}

/** `active` follows the directory whatever the template says: suspension and reactivation depend on it. */
const templateUser = (template: string, user: MappableUser, params: MappingParameters): ScimUser => {
  const compiled = compileScimTemplate(
    template,
    params.custom.map((parameter) => parameter.name),
  );
  const scimUsername = scimUserName(user, params);
  const resource = renderScimTemplate(compiled, {
    user: {
      firstname: user.firstname,
      lastname: user.lastname,
      email: user.email,
      username: user.username,
      display_name: displayName(user),
      department: user.department,
      title: user.title,
      id: user.id,
    },
    customFields: user.custom,
    parameters: Object.fromEntries([
      ...params.custom.map((parameter) => [
        parameterShortName(parameter.name),
        sourceValue(user, parameter.source),
      ]),
      ['scimusername', scimUsername],
    ]),
  });
  const userNameKey = Object.keys(resource).find((key) => key.toLowerCase() === 'username') ?? 'userName';
  const { [userNameKey]: userName, ...rest } = resource;
  return {
    ...rest,
    schemas: Array.isArray(resource.schemas) ? (resource.schemas as string[]) : [CORE_USER_SCHEMA],
    userName: typeof userName === 'string' ? userName : '',
    active: user.status === 'active',
  };
};

/**
 * The SCIM resource the target should hold for `user` (the task preview and the push both use it);
 * throws 409 scim_username_unset when SCIM Username is unset.
 */
export function buildScimUser(
  connector: ConnectorId,
  user: MappableUser,
  params: MappingParameters,
): ScimUser {
  if (connector === 'calendly') return calendlyUser(user, params);
  return params.scimJsonTemplate
    ? templateUser(params.scimJsonTemplate, user, params)
    : genericUser(user, params);
}

/** Names of the target groups `user` belongs to through custom parameters targeting "groups". */
export function desiredGroups(
  connector: ConnectorId,
  user: MappableUser,
  params: MappingParameters,
): string[] {
  if (connector === 'calendly') return [];
  const groups = params.custom
    .filter((parameter) => parameter.target === GROUPS_TARGET)
    .map((parameter) => sourceValue(user, parameter.source))
    .filter((value): value is string => value !== null);
  return [...new Set(groups)];
}

/** Deep equality that ignores key order (array order still counts). */
export function scimResourcesEqual(a: ScimUser, b: ScimUser): boolean {
  return deepEqual(a, b);
}
