import { deepEqual } from './deep-equal.ts';
import type { PatchOpName } from './scim-dialects.ts';
import { PATCH_OP_SCHEMA } from './scim-schemas.ts';

export interface PatchOperation {
  op: PatchOpName;
  path: string;
  value?: unknown;
}

type Json = Record<string, unknown>;

// Server-owned or envelope attributes: never patched.
const UNPATCHABLE = new Set(['schemas', 'id', 'meta']);

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Paths reachable per RFC 7644 §3.5.2 without filters: `attr`, `attr.sub`, `urn:...:attr`, `urn:...:attr.sub`.
 * `depth` counts how many more levels may be descended into.
 */
function diffLevel(previous: Json, desired: Json, prefix: string, depth: number): PatchOperation[] {
  const operations: PatchOperation[] = [];
  const keys = new Set([...Object.keys(previous), ...Object.keys(desired)]);
  for (const key of keys) {
    if (prefix === '' && UNPATCHABLE.has(key)) continue;
    const path = `${prefix}${key}`;
    const before = previous[key];
    const after = desired[key];
    // An extension appears or goes attribute by attribute: a bare schema URN is not a path servers accept.
    const wholeExtension =
      prefix === '' && key.startsWith('urn:') && (before === undefined || after === undefined);
    if (wholeExtension && (isObject(before) || isObject(after))) {
      operations.push(
        ...diffLevel(isObject(before) ? before : {}, isObject(after) ? after : {}, `${path}:`, 1),
      );
    } else if (after === undefined) {
      if (before !== undefined) operations.push({ op: 'remove', path });
    } else if (before === undefined) {
      operations.push({ op: 'add', path, value: after });
    } else if (!deepEqual(before, after)) {
      const extension = prefix === '' && key.startsWith('urn:');
      if (isObject(before) && isObject(after) && (extension || depth > 0)) {
        operations.push(
          ...diffLevel(before, after, `${path}${extension ? ':' : '.'}`, extension ? 1 : depth - 1),
        );
      } else {
        operations.push({ op: 'replace', path, value: after });
      }
    }
  }
  return operations;
}

/** The smallest set of operations turning `previous` into `desired`; without a previous state, replace everything. */
export function diffOperations(previous: Json | null, desired: Json): PatchOperation[] {
  if (previous === null) {
    // Replace rather than add: the target may already hold these attributes with other values.
    return diffLevel({}, desired, '', 1).map((operation) => ({ ...operation, op: 'replace' }));
  }
  return diffLevel(previous, desired, '', 1);
}

/** A PatchOp message (RFC 7644 §3.5.2) with operation names spelled as the dialect spells them. */
export function patchMessage(operations: PatchOperation[], names: Readonly<Record<PatchOpName, string>>) {
  return {
    schemas: [PATCH_OP_SCHEMA],
    Operations: operations.map(({ op, ...rest }) => ({ op: names[op], ...rest })),
  };
}
