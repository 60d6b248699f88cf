/**
 * A SCIM attribute path as custom parameters name it: `attr`, `attr.sub`, or the same behind an
 * extension schema URN (`urn:...:User:attr`). Filters and multi-valued selectors are not mappable.
 */
export interface AttributePath {
  schema: string | null;
  attribute: string;
  subAttribute: string | null;
}

const NAME = '[A-Za-z][A-Za-z0-9_$-]*';
const PATH_PATTERN = new RegExp(
  `^(?:(urn:[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+)+):)?(${NAME})(?:\\.(${NAME}))?$`,
);

export function parseAttributePath(path: string): AttributePath | null {
  const match = PATH_PATTERN.exec(path);
  if (!match?.[2]) return null;
  return { schema: match[1] ?? null, attribute: match[2], subAttribute: match[3] ?? null };
}

type Container = Record<string, unknown>;

const childContainer = (parent: Container, key: string): Container => {
  const existing = parent[key];
  if (existing !== null && typeof existing === 'object' && !Array.isArray(existing))
    return existing as Container;
  const created: Container = {};
  parent[key] = created;
  return created;
};

/** Writes `value` at `path` in `resource` (mutating it); extension attributes go under their schema URN. */
export function setAttribute(resource: Container, path: AttributePath, value: unknown): void {
  const holder = path.schema ? childContainer(resource, path.schema) : resource;
  if (path.subAttribute) childContainer(holder, path.attribute)[path.subAttribute] = value;
  else holder[path.attribute] = value;
}
