import { badRequest } from '../../../shared/src/errors/app-error.ts';
import {
  addressRefusal,
  allowlistRefusal,
  hostOf,
  type TargetPolicy,
} from '../../../shared/src/scim-client/target-policy.ts';

/**
 * Refuses at configuration time a SCIM base URL the policy would refuse to reach: a host outside
 * PROVISIM_TARGET_ALLOWLIST, or a literal refused address. Names resolve only when connecting, and are checked then.
 */
export function assertTargetAllowed(url: string, policy: TargetPolicy): void {
  const host = hostOf(url);
  const refusal = allowlistRefusal(host, policy) ?? addressRefusal(host, policy);
  if (refusal) throw badRequest('body.scimBaseUrl', refusal);
}
