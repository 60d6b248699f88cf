import { badRequest } from '../../../shared/src/errors/app-error.ts';

const toRegExp = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]+')}$`, 'i');

/** Rejects a SCIM base URL whose host matches none of PROVISIM_TARGET_ALLOWLIST's patterns (unset allows all). */
export function assertTargetAllowed(url: string, allowlist: string | undefined): void {
  if (!allowlist?.trim()) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const patterns = allowlist
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!patterns.some((pattern) => toRegExp(pattern).test(host)))
    throw badRequest('body.scimBaseUrl', `host ${host} is not in PROVISIM_TARGET_ALLOWLIST`);
}
