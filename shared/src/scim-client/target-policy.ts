import ipaddr from 'ipaddr.js';
import type { Config } from '../config/env.ts';

/** Where SCIM requests may go: the operator's host allowlist, and whether reserved addresses are allowed. */
export interface TargetPolicy {
  /** Host patterns (`*` matches one label); empty allows any host. */
  allowlist: readonly string[];
  /** Allows link-local, cloud metadata and unspecified addresses, refused by default. */
  allowLinkLocal: boolean;
}

export const DEFAULT_TARGET_POLICY: TargetPolicy = { allowlist: [], allowLinkLocal: false };

export function targetPolicy(config: Config): TargetPolicy {
  const allowlist = (config.PROVISIM_TARGET_ALLOWLIST ?? '')
    .split(',')
    .map((pattern) => pattern.trim())
    .filter(Boolean);
  return { allowlist, allowLinkLocal: config.PROVISIM_ALLOW_LINK_LOCAL_TARGETS };
}

/** Thrown before any connection is opened to a host or address the policy refuses. */
export class TargetRefusedError extends Error {
  readonly code = 'ERR_TARGET_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

const patternRegExp = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]+')}$`, 'i');

/** The URL's host as the allowlist and the error messages name it (IPv6 without brackets). */
export const hostOf = (url: string | URL): string =>
  (typeof url === 'string' ? new URL(url) : url).hostname.replace(/^\[|\]$/g, '');

/** Why the allowlist refuses `host`, or null when it may be contacted. */
export function allowlistRefusal(host: string, policy: TargetPolicy): string | null {
  if (policy.allowlist.length === 0) return null;
  return policy.allowlist.some((pattern) => patternRegExp(pattern).test(host))
    ? null
    : `host ${host} is not in PROVISIM_TARGET_ALLOWLIST`;
}

/** Cloud metadata services outside link-local space: AWS (IPv6), Alibaba, Azure's wireserver, Oracle. */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254', '100.100.100.200', '168.63.129.16', '192.0.0.192']);

/** The IPv4 address an IPv6 address carries (NAT64, 6to4, IPv4-compatible), which is where it ends up. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  const from = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  switch (address.range()) {
    case 'rfc6052':
    case 'rfc6145':
      return from(parts[6] ?? 0, parts[7] ?? 0);
    case '6to4':
      return from(parts[1] ?? 0, parts[2] ?? 0);
    default:
      // ::a.b.c.d (RFC 4291's deprecated IPv4-compatible form); :: and ::1 have ranges of their own.
      return parts.slice(0, 6).every((part) => part === 0) && address.range() === 'unicast'
        ? from(parts[6] ?? 0, parts[7] ?? 0)
        : null;
  }
}

/** What is reserved about `address`, and the address that says so (an IPv6 address's embedded IPv4). */
function reserved(address: ipaddr.IPv4 | ipaddr.IPv6): { kind: string; at: string } | null {
  const at = address.toString();
  if (METADATA_ADDRESSES.has(address.toNormalizedString()) || METADATA_ADDRESSES.has(at))
    return { kind: 'a cloud metadata address', at };
  const range = address.range();
  if (range === 'linkLocal')
    return { kind: 'a link-local address (where cloud metadata services answer)', at };
  if (range === 'unspecified') return { kind: 'an unspecified address', at };
  const inner = address.kind() === 'ipv6' ? embeddedIPv4(address as ipaddr.IPv6) : null;
  return inner ? reserved(inner) : null;
}

/** Why the policy refuses to connect to the IP `address`, or null when it may. */
export function addressRefusal(address: string, policy: TargetPolicy): string | null {
  if (policy.allowLinkLocal || !ipaddr.isValid(address)) return null;
  // process() reads an IPv4-mapped IPv6 address as the IPv4 address it is.
  const found = reserved(ipaddr.process(address));
  if (!found) return null;
  const spelled = found.at === address ? address : `${address} (${found.at})`;
  return `${spelled} is ${found.kind}; set PROVISIM_ALLOW_LINK_LOCAL_TARGETS=true to allow SCIM targets there`;
}
