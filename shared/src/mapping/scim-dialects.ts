/** How each identity provider speaks SCIM (product.md, "Wire dialects"): data, read by the client and the task preview. */
export type Dialect = 'onelogin' | 'okta' | 'entra' | 'rfc';

export type PatchOpName = 'add' | 'replace' | 'remove';

export interface DialectSpec {
  /**
   * The connection test: ServiceProviderConfig first when `readsServiceProviderConfig` (404/501 mean it has
   * none), then always `authenticatedRead`, which must answer a ListResponse. RFC 7644 lets discovery
   * endpoints answer without authentication, so only the read proves the token.
   */
  connectionTest: { readsServiceProviderConfig: boolean; authenticatedRead: string };
  /** How updates, suspensions and reactivations travel; `patch-if-supported` asks ServiceProviderConfig. */
  userChanges: 'put' | 'patch' | 'patch-if-supported';
  /** Spelling of PATCH operation names. */
  ops: Readonly<Record<PatchOpName, string>>;
  /** Removing a group member: by a filter in the path (RFC 7644 §3.5.2.2) or by value (Entra). */
  memberRemoval: 'filter-path' | 'value';
}

const LOWER_CASE_OPS = { add: 'add', replace: 'replace', remove: 'remove' } as const;
const CAPITALISED_OPS = { add: 'Add', replace: 'Replace', remove: 'Remove' } as const;
const SERVICE_PROVIDER_CONFIG_THEN_USERS = {
  readsServiceProviderConfig: true,
  authenticatedRead: '/Users?count=1',
} as const;

export const DIALECTS: Readonly<Record<Dialect, DialectSpec>> = {
  onelogin: {
    connectionTest: SERVICE_PROVIDER_CONFIG_THEN_USERS,
    userChanges: 'put',
    ops: LOWER_CASE_OPS,
    memberRemoval: 'filter-path',
  },
  okta: {
    connectionTest: { readsServiceProviderConfig: false, authenticatedRead: '/Users?startIndex=1&count=2' },
    userChanges: 'put',
    ops: LOWER_CASE_OPS,
    memberRemoval: 'filter-path',
  },
  entra: {
    connectionTest: SERVICE_PROVIDER_CONFIG_THEN_USERS,
    userChanges: 'patch',
    ops: CAPITALISED_OPS,
    memberRemoval: 'value',
  },
  rfc: {
    connectionTest: SERVICE_PROVIDER_CONFIG_THEN_USERS,
    userChanges: 'patch-if-supported',
    ops: LOWER_CASE_OPS,
    memberRemoval: 'filter-path',
  },
};

export type UserChangeMethod = 'PATCH' | 'PUT';

/**
 * How the dialect sends updates, suspensions and reactivations, given what the target's
 * ServiceProviderConfig says of PATCH (undefined: not read). Undefined when the answer depends on it.
 */
export function userChangeMethod(
  dialect: Dialect,
  patchSupported: boolean | undefined,
): UserChangeMethod | undefined {
  const { userChanges } = DIALECTS[dialect];
  if (userChanges === 'patch-if-supported' && patchSupported === undefined) return undefined;
  return userChanges === 'patch' || (userChanges === 'patch-if-supported' && patchSupported)
    ? 'PATCH'
    : 'PUT';
}
