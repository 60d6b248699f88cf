import { type ScimPatchOperation, scimPatch } from 'scim-patch';
import { z } from 'zod';
import { firstIssue } from '../../../shared/src/errors/invalid-input.ts';
import { ScimError, scimBadRequest } from './scim-error.ts';
import {
  coerceResource,
  ENTERPRISE_SCHEMA,
  findAttribute,
  lenientMembers,
  PATCH_SCHEMA,
  type ResourceKind,
  type ScimResourceJson,
} from './scim-schemas.ts';

const patchRequestSchema = z.object({
  schemas: z
    .array(z.string())
    .refine((s) => s.some((uri) => uri.toLowerCase() === PATCH_SCHEMA.toLowerCase()), {
      message: `must contain ${PATCH_SCHEMA}`,
    }),
  Operations: z
    .array(
      z.object({
        // Entra capitalises op names (Add, Replace, Remove); RFC 7644 says they are case-insensitive.
        op: z
          .string()
          .transform((op) => op.toLowerCase())
          .pipe(z.enum(['add', 'replace', 'remove'])),
        path: z.string().trim().min(1).max(1024).optional(),
        value: z.unknown().optional(),
      }),
    )
    .min(1),
});

const PATH_PATTERN = /^(?<urn>urn:[^[\]]*:)?(?<attr>[^.[\]:]+)(?<filter>\[.*\])?(?:\.(?<sub>[^.[\]]+))?$/i;
const CORE_URN = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):$/i;

/** Rewrites a PATCH path with the schema's attribute names (paths are case-insensitive, scim-patch is not). */
export function canonicalPath(kind: ResourceKind, path: string): string {
  const match = PATH_PATTERN.exec(path);
  if (!match?.groups)
    throw scimBadRequest('invalidPath', `The path "${path}" is not a valid attribute path.`);
  const { urn = '', attr = '', filter = '', sub } = match.groups;
  const isExtension = urn.toLowerCase() === `${ENTERPRISE_SCHEMA.toLowerCase()}:`;
  if (urn && !isExtension && !CORE_URN.test(urn))
    throw scimBadRequest('invalidPath', `The path "${path}" names an unknown schema.`);
  const prefix = isExtension ? `${ENTERPRISE_SCHEMA}:` : '';
  const attribute = findAttribute(kind, `${prefix}${attr}`);
  if (!attribute)
    throw scimBadRequest('invalidPath', `The path "${path}" names an unknown attribute "${attr}".`);
  const subAttribute = sub === undefined ? undefined : findAttribute(kind, `${prefix}${attr}.${sub}`);
  if (sub !== undefined && !subAttribute)
    throw scimBadRequest('invalidPath', `The path "${path}" names an unknown sub-attribute "${sub}".`);
  return `${prefix}${attribute.name}${filter}${subAttribute ? `.${subAttribute.name}` : ''}`;
}

function canonicalValueKeys(kind: ResourceKind, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key.toLowerCase() === ENTERPRISE_SCHEMA.toLowerCase()) return [ENTERPRISE_SCHEMA, v];
      try {
        return [canonicalPath(kind, key), v];
      } catch {
        return [key, v];
      }
    }),
  );
}

/**
 * Entra removes members with `{op: Remove, path: members, value: [{value: id}]}`; scim-patch would
 * compare whole member objects, so each id becomes a `members[value eq "id"]` removal.
 */
function removeMembersByValue(members: unknown[]): ScimPatchOperation[] {
  return members.map((member) => {
    const id = (member as { value?: unknown } | null)?.value;
    if (typeof id !== 'string')
      throw scimBadRequest('invalidValue', 'Each member to remove needs a string value.');
    return { op: 'remove' as const, path: `members[value eq ${JSON.stringify(id)}]` };
  });
}

function toScimError(err: unknown): ScimError {
  if (err instanceof ScimError) return err;
  const name = (err as Error).constructor?.name ?? '';
  const message = (err as Error).message ?? 'The PATCH request could not be applied.';
  if (name === 'NoTarget' || name === 'NoPathInScimPatchOp') return scimBadRequest('noTarget', message);
  if (name === 'InvalidScimPatchOp') return scimBadRequest('invalidPath', message);
  if (name === 'InvalidScimPatchRequest' || name === 'InvalidScimPatch')
    return scimBadRequest('invalidSyntax', message);
  return scimBadRequest('invalidValue', message);
}

/** Applies an RFC 7644 PatchOp to a copy of `current` and returns the validated result; `current` is untouched. */
export function applyPatch(kind: ResourceKind, current: ScimResourceJson, body: unknown): ScimResourceJson {
  const parsed = patchRequestSchema.safeParse(body);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw scimBadRequest('invalidSyntax', `${field || 'body'}: ${message}`);
  }
  const operations = parsed.data.Operations.flatMap(({ op, path, value }): ScimPatchOperation[] => {
    // A path-less remove is refused by scim-patch itself (noTarget); its types do not admit one.
    if (path === undefined) return [{ op, value: canonicalValueKeys(kind, value) } as ScimPatchOperation];
    const canonical = canonicalPath(kind, path);
    if (kind !== 'Group' || canonical !== 'members') return [{ op, path: canonical, value }];
    const members = lenientMembers(value);
    if (op !== 'remove' || !Array.isArray(members)) return [{ op, path: canonical, value: members }];
    return removeMembersByValue(members);
  });
  const { id, meta, ...document } = current;
  let patched: Record<string, unknown>;
  try {
    patched = scimPatch({ ...structuredClone(document), meta } as never, operations, {
      mutateDocument: false,
      treatMissingAsAdd: true,
    });
  } catch (err) {
    throw toScimError(err);
  }
  const { meta: _meta, ...result } = patched;
  return { id, ...coerceResource(kind, result) };
}
