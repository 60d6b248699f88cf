import axios, { type AxiosInstance } from 'axios';
import { proxyConfigured } from '../config/env.ts';
import { createGuardedAgents } from './guarded-agents.ts';
import type { TargetPolicy } from './target-policy.ts';

function createScimHttp(policy: TargetPolicy): AxiosInstance {
  return axios.create({
    ...createGuardedAgents(policy),
    // The transport parses and judges every answer itself, including malformed ones.
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    // A redirect from a SCIM endpoint is a misconfiguration, and following it could carry the token elsewhere.
    maxRedirects: 0,
    // None set when this pool was made: axios is told so once rather than looking on each request.
    ...(proxyConfigured() ? {} : { proxy: false as const }),
    maxContentLength: 10 * 1024 * 1024,
    transitional: { clarifyTimeoutError: true },
    headers: { 'Content-Type': 'application/scim+json', Accept: 'application/scim+json, application/json' },
  });
}

const instances = new Map<string, AxiosInstance>();

/** One keep-alive connection pool per process and policy (in practice one), shared by every target's client. */
export function scimHttp(policy: TargetPolicy): AxiosInstance {
  const key = JSON.stringify(policy);
  let instance = instances.get(key);
  if (!instance) {
    instance = createScimHttp(policy);
    instances.set(key, instance);
  }
  return instance;
}
