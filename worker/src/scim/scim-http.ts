import http from 'node:http';
import https from 'node:https';
import axios from 'axios';

/** One keep-alive connection pool per process, shared by every target's client. */
export const scimHttp = axios.create({
  httpAgent: new http.Agent({ keepAlive: true }),
  httpsAgent: new https.Agent({ keepAlive: true }),
  // The transport parses and judges every answer itself, including malformed ones.
  validateStatus: () => true,
  responseType: 'text',
  transformResponse: [(data: unknown) => data],
  // A redirect from a SCIM endpoint is a misconfiguration, and following it could carry the token elsewhere.
  maxRedirects: 0,
  maxContentLength: 10 * 1024 * 1024,
  transitional: { clarifyTimeoutError: true },
  headers: { 'Content-Type': 'application/scim+json', Accept: 'application/scim+json, application/json' },
});
