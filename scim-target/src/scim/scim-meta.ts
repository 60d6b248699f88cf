import { createHash, randomUUID } from 'node:crypto';
import { ScimError } from './scim-error.ts';
import type { ResourceKind, ScimResourceJson } from './scim-schemas.ts';

interface StoredMeta {
  resourceType: ResourceKind;
  created: string;
  lastModified: string;
  version: string;
}

const versionOf = (resource: ScimResourceJson): string =>
  `W/"${createHash('sha256').update(JSON.stringify(resource)).digest('base64url').slice(0, 16)}"`;

/** Gives a new resource its id and meta (created, lastModified, version). */
export function stampNew(kind: ResourceKind, resource: ScimResourceJson): ScimResourceJson {
  const now = new Date().toISOString();
  const withId = { ...resource, id: randomUUID() };
  return {
    ...withId,
    meta: { resourceType: kind, created: now, lastModified: now, version: versionOf(withId) },
  };
}

/** Keeps id and created, bumps lastModified and version. */
export function stampUpdate(previous: ScimResourceJson, next: ScimResourceJson): ScimResourceJson {
  const meta = previous.meta as StoredMeta;
  const body = { ...next, id: previous.id };
  return { ...body, meta: { ...meta, lastModified: new Date().toISOString(), version: versionOf(body) } };
}

/** The resource as sent: meta.location is built from the public base URL, which is known only at run time. */
export function withLocation(resource: ScimResourceJson, scimBaseUrl: string): ScimResourceJson {
  const meta = resource.meta as StoredMeta;
  const collection = meta.resourceType === 'User' ? 'Users' : 'Groups';
  return { ...resource, meta: { ...meta, location: `${scimBaseUrl}/${collection}/${String(resource.id)}` } };
}

/** RFC 7644 §3.14: with `If-Match`, a write goes through only while the resource is at one of the listed versions. */
export function assertVersion(resource: ScimResourceJson, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const version = (resource.meta as StoredMeta).version;
  const listed = ifMatch.split(',').map((v) => v.trim());
  if (!listed.includes(version))
    throw new ScimError(
      412,
      `The resource is at version ${version}, not ${ifMatch}; read it again before changing it.`,
    );
}
