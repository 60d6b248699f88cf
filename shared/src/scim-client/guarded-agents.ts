import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { addressRefusal, type TargetPolicy, TargetRefusedError } from './target-policy.ts';

/**
 * axios sets TCP keep-alive to 60 s on every request's socket and the agent resets it to its own
 * `keepAliveMsecs` each time the socket is reused; the same value on both spares two setsockopt calls per request.
 */
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 60_000 };

type Callback = (err: Error | null, stream: Duplex) => void;

/**
 * A `lookup` that resolves as `resolve` does, then refuses the connection when any address it found is one
 * the policy refuses: the check is on the very addresses the socket connects to, so DNS rebinding gains nothing.
 */
export function guardedLookup(policy: TargetPolicy, resolve: LookupFunction = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const found: LookupAddress[] = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
      const refusal = found.map((entry) => addressRefusal(entry.address, policy)).find(Boolean);
      if (refusal)
        return callback(new TargetRefusedError(`${hostname} resolves to ${refusal}`), address, family);
      callback(null, address, family);
    });
  };
}

/** Node connects to an IP literal without any lookup, so literals are checked before connecting. */
function guardConnection(
  options: http.ClientRequestArgs,
  callback: Callback | undefined,
  policy: TargetPolicy,
  lookup: LookupFunction,
  connect: (options: http.ClientRequestArgs, callback?: Callback) => Duplex | null | undefined,
): Duplex | null | undefined {
  const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
  const refusal = isIP(host) ? addressRefusal(host, policy) : null;
  if (refusal) {
    callback?.(new TargetRefusedError(refusal), undefined as unknown as Duplex);
    return undefined;
  }
  return connect({ ...options, lookup }, callback);
}

/** The http and https agents of the SCIM client: keep-alive pools whose every connection passes the policy. */
export function createGuardedAgents(policy: TargetPolicy, resolve?: LookupFunction) {
  const lookup = guardedLookup(policy, resolve);
  class GuardedHttpAgent extends http.Agent {
    override createConnection(options: http.ClientRequestArgs, callback?: Callback) {
      return guardConnection(options, callback, policy, lookup, (o, cb) => super.createConnection(o, cb));
    }
  }
  class GuardedHttpsAgent extends https.Agent {
    override createConnection(options: https.RequestOptions, callback?: Callback) {
      return guardConnection(options, callback, policy, lookup, (o, cb) => super.createConnection(o, cb));
    }
  }
  return { httpAgent: new GuardedHttpAgent(KEEP_ALIVE), httpsAgent: new GuardedHttpsAgent(KEEP_ALIVE) };
}
