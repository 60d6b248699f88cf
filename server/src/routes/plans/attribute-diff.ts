/** One attribute a push changes on the target: its SCIM path, the value it holds now, the value it gets. */
export interface AttributeChange {
  attribute: string;
  from: unknown;
  to: unknown;
}

type Flat = Map<string, unknown>;

/** `name.givenName`, `emails[0].value`, `urn:…:User.department`: leaves of a SCIM resource by path. */
function flatten(value: unknown, path: string, into: Flat): Flat {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) flatten(item, `${path}[${index}]`, into);
  } else if (value !== null && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (path === '' && (key === 'schemas' || key === 'meta' || key === 'id')) continue;
      flatten(inner, path ? `${path}.${key}` : key, into);
    }
  else into.set(path, value);
  return into;
}

/** The attributes that differ between what the target holds (null: no account) and what it will hold (null: none). */
export function diffResources(from: unknown, to: unknown): AttributeChange[] {
  const before = from ? flatten(from, '', new Map()) : new Map<string, unknown>();
  const after = to ? flatten(to, '', new Map()) : new Map<string, unknown>();
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths
    .filter((path) => before.get(path) !== after.get(path))
    .map((attribute) => ({
      attribute,
      from: before.get(attribute) ?? null,
      to: after.get(attribute) ?? null,
    }));
}
