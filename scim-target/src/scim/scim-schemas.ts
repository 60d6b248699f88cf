import SCIMMY from 'scimmy';
import {
  ENTERPRISE_USER_SCHEMA as ENTERPRISE_SCHEMA,
  CORE_GROUP_SCHEMA as GROUP_SCHEMA,
  CORE_USER_SCHEMA as USER_SCHEMA,
} from '../../../shared/src/mapping/scim-schemas.ts';
import { ScimError, scimBadRequest } from './scim-error.ts';

export {
  ENTERPRISE_USER_SCHEMA as ENTERPRISE_SCHEMA,
  LIST_RESPONSE_SCHEMA as LIST_SCHEMA,
  PATCH_OP_SCHEMA as PATCH_SCHEMA,
} from '../../../shared/src/mapping/scim-schemas.ts';

export type ResourceKind = 'User' | 'Group';
/** A User or Group as the target stores and answers it (the IdP side's typed one is shared's ScimResource). */
export type ScimResourceJson = Record<string, unknown>;

type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;
type Attribute = InstanceType<typeof SCIMMY.Types.Attribute>;

const userDefinition: Definition = SCIMMY.Schemas.User.definition.extend(
  SCIMMY.Schemas.EnterpriseUser.definition,
);
const groupDefinition: Definition = SCIMMY.Schemas.Group.definition;

const definitionOf = (kind: ResourceKind): Definition => (kind === 'User' ? userDefinition : groupDefinition);
const schemasOf = (kind: ResourceKind): string[] =>
  kind === 'User' ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [GROUP_SCHEMA];

/** The schema's attribute for a path such as `name.givenName` or `urn:…:User:department` (any case), if declared. */
export function findAttribute(kind: ResourceKind, path: string): Attribute | undefined {
  try {
    const found = definitionOf(kind).attribute(path) as unknown;
    return found instanceof SCIMMY.Types.Attribute ? found : undefined;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Entra and Microsoft's tests send booleans as "True"/"False": turn them into booleans where the schema says boolean. */
function coerceBooleanStrings(
  attributes: Attribute[],
  data: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const attribute = attributes.find((a) => a.name.toLowerCase() === key.toLowerCase());
    out[key] = attribute ? coerceValue(attribute, value) : value;
  }
  return out;
}

function coerceValue(attribute: Attribute, value: unknown): unknown {
  if (attribute.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value))
    return value.toLowerCase() === 'true';
  const subAttributes = attribute.subAttributes ?? [];
  if (Array.isArray(value))
    return value.map((item) => (isRecord(item) ? coerceBooleanStrings(subAttributes, item) : item));
  return isRecord(value) && subAttributes.length ? coerceBooleanStrings(subAttributes, value) : value;
}

/**
 * Microsoft's tests add group members as bare id strings (they mean `{value: id}`) and name a
 * member's label `displayName` where the schema says `display`.
 */
export function lenientMembers(members: unknown): unknown {
  const list = typeof members === 'string' ? [members] : members;
  if (!Array.isArray(list)) return members;
  return list.map((m) => {
    if (typeof m === 'string') return { value: m };
    if (!isRecord(m)) return m;
    const { displayName, ...rest } = m;
    const hasDisplay = Object.keys(rest).some((k) => k.toLowerCase() === 'display');
    return displayName === undefined || hasDisplay ? rest : { ...rest, display: displayName };
  });
}

function membersAsObjects(data: Record<string, unknown>): Record<string, unknown> {
  const key = Object.keys(data).find((k) => k.toLowerCase() === 'members');
  return key ? { ...data, [key]: lenientMembers(data[key]) } : data;
}

function checkSchemas(kind: ResourceKind, data: Record<string, unknown>): void {
  const declared = data.schemas;
  if (declared === undefined) return;
  if (!Array.isArray(declared) || declared.some((s) => typeof s !== 'string'))
    throw scimBadRequest('invalidSyntax', 'schemas must be an array of schema URIs.');
  const known = schemasOf(kind).map((s) => s.toLowerCase());
  const unknown = declared.filter((s: string) => !known.includes(s.toLowerCase()));
  if (unknown.length)
    throw scimBadRequest('invalidValue', `Unknown schema(s) for a ${kind}: ${unknown.join(', ')}.`);
}

// password is write-only and this target has no passwords to set: it is dropped, never stored.
const READ_ONLY_TOP_LEVEL = ['id', 'meta', 'groups', 'password'];

/**
 * Validates a client-sent User or Group against its schema (types, required attributes, canonical
 * names in any case) and returns the canonical resource without read-only attributes; unknown
 * attributes are dropped, as RFC 7644 lets a service provider do.
 */
export function coerceResource(kind: ResourceKind, body: unknown): ScimResourceJson {
  if (!isRecord(body))
    throw scimBadRequest('invalidSyntax', `The request body must be a ${kind} JSON object.`);
  checkSchemas(kind, body);
  const definition = definitionOf(kind);
  const writable = Object.fromEntries(
    Object.entries(body).filter(
      ([key]) => !READ_ONLY_TOP_LEVEL.includes(key.toLowerCase()) && key !== 'schemas',
    ),
  );
  const prepared = coerceBooleanStrings(definition.attributes as Attribute[], membersAsObjects(writable));
  const extensionKey = Object.keys(prepared).find((k) => k.toLowerCase() === ENTERPRISE_SCHEMA.toLowerCase());
  const schemas = [schemasOf(kind)[0] as string, ...(extensionKey ? [ENTERPRISE_SCHEMA] : [])];
  if (extensionKey && isRecord(prepared[extensionKey])) {
    const extensionAttributes = SCIMMY.Schemas.EnterpriseUser.definition.attributes as Attribute[];
    prepared[extensionKey] = coerceBooleanStrings(
      extensionAttributes,
      prepared[extensionKey] as Record<string, unknown>,
    );
  }
  let coerced: Record<string, unknown>;
  try {
    coerced = definition.coerce({ ...prepared, schemas }) as Record<string, unknown>;
  } catch (err) {
    throw err instanceof ScimError ? err : scimBadRequest('invalidValue', (err as Error).message);
  }
  const { meta: _meta, ...resource } = coerced;
  const identifier = kind === 'User' ? 'userName' : 'displayName';
  if (String(resource[identifier] ?? '').trim() === '')
    throw scimBadRequest('invalidValue', `Required attribute '${identifier}' must not be empty.`);
  return resource;
}

export const serviceProviderConfig = (baseUrl: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 1000 },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: true },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'Authentication with the bearer token generated in the organization settings.',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
});

export const resourceTypes = (baseUrl: string) => [
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  },
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: GROUP_SCHEMA,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
  },
];

export function schemaDocuments(baseUrl: string): ScimResourceJson[] {
  return [SCIMMY.Schemas.User, SCIMMY.Schemas.EnterpriseUser, SCIMMY.Schemas.Group].map((schema) => {
    const described = schema.definition.describe() as ScimResourceJson;
    return { ...described, meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${described.id}` } };
  });
}
