import dns, { type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher, EnvHttpProxyAgent, type ProxyAgent } from 'undici';
import { proxyConfigured } from '../config/env.ts';
import { addressRefusal, type TargetPolicy, TargetRefusedError } from './target-policy.ts';

/** The largest answer read from a target: a larger one fails the call rather than filling the worker's memory. */
export const MAX_ANSWER_BYTES = 10 * 1024 * 1024;

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

/**
 * Opens the SCIM client's connections: an IP literal is checked before connecting (the socket connects to
 * it without any lookup), a name through the guarded lookup; `timeoutMs` bounds the connect.
 */
function guardedConnector(
  policy: TargetPolicy,
  lookup: LookupFunction,
  timeoutMs: number,
): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs, lookup });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    const refusal = isIP(host) ? addressRefusal(host, policy) : null;
    if (refusal) return callback(new TargetRefusedError(refusal), null);
    connect(options, callback);
  };
}

/** What EnvHttpProxyAgent passes on to its ProxyAgents, though undici 6's types list neither option. */
type ProxyOptions = EnvHttpProxyAgent.Options &
  Pick<ProxyAgent.Options, 'proxyTls'> & { proxyTunnel: boolean };

/**
 * The SCIM client's keep-alive connection pools (undici), whose every connection passes the policy. Redirects are
 * never followed (undici's request follows none): a redirect from a SCIM endpoint is a misconfiguration, and
 * following it could carry the token elsewhere. With a proxy variable set, requests go through the proxy
 * (`EnvHttpProxyAgent`, which honours NO_PROXY): the proxy's address passes the guarded lookup, and the proxy
 * resolves the target's name.
 */
export function createGuardedAgent(
  policy: TargetPolicy,
  timeoutMs: number,
  resolve?: LookupFunction,
): Dispatcher {
  const lookup = guardedLookup(policy, resolve);
  const options = {
    connect: guardedConnector(policy, lookup, timeoutMs),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    maxResponseSize: MAX_ANSWER_BYTES,
  };
  if (!proxyConfigured()) return new Agent(options);
  const proxied: ProxyOptions = {
    ...options,
    // An http target is asked of the proxy by its absolute URL (many proxies allow CONNECT to port 443
    // only); an https one is tunnelled.
    proxyTunnel: false,
    proxyTls: { lookup, timeout: timeoutMs },
  };
  return new EnvHttpProxyAgent(proxied);
}
