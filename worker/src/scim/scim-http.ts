import http from 'node:http';
import https from 'node:https';
import axios from 'axios';

/**
 * axios sets TCP keep-alive to 60 s on every request's socket and the agent resets it to its own
 * `keepAliveMsecs` each time the socket is reused; the same value on both spares two setsockopt calls per request.
 */
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 60_000 };

/** The variables axios takes a proxy from (through proxy-from-env), which it reads again on every request. */
const PROXY_VARIABLE = /^(npm_config_)?((https?|all)_)?proxy$/i;
const proxyConfigured = Object.entries(process.env).some(
  ([name, value]) => value && PROXY_VARIABLE.test(name),
);

/** One keep-alive connection pool per process, shared by every target's client. */
export const scimHttp = axios.create({
  httpAgent: new http.Agent(KEEP_ALIVE),
  httpsAgent: new https.Agent(KEEP_ALIVE),
  // The transport parses and judges every answer itself, including malformed ones.
  validateStatus: () => true,
  responseType: 'text',
  transformResponse: [(data: unknown) => data],
  // A redirect from a SCIM endpoint is a misconfiguration, and following it could carry the token elsewhere.
  maxRedirects: 0,
  // None set when the process started: axios is told so once rather than looking on each request.
  ...(proxyConfigured ? {} : { proxy: false as const }),
  maxContentLength: 10 * 1024 * 1024,
  transitional: { clarifyTimeoutError: true },
  headers: { 'Content-Type': 'application/scim+json', Accept: 'application/scim+json, application/json' },
});
