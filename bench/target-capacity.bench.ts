import autocannon from 'autocannon';
import type { BenchOrg } from './lib/target-org.ts';

export interface TargetCapacityOptions {
  org: BenchOrg;
  users: number;
  concurrency: number;
  /** Makes userNames unique across runs against the same org. */
  tag: string;
}

export interface TargetCapacityResult {
  users: number;
  concurrency: number;
  seconds: number;
  requestsPerSecond: number;
  usersPerSecond: number;
  non2xx: number;
  errors: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

const userNameOf = (tag: string, n: number) => `cap-${tag}-${n}@example.test`;

/** autocannon's per-connection context: which user the current lookup + POST pair is for. */
const pair = (context: object) => context as { n: number };

/**
 * The target's raw capacity on the same mix as a create in every dialect: the `userName eq`
 * lookup, then POST /Users, one unique user per pair, `concurrency` connections.
 */
export async function runTargetCapacityBench(options: TargetCapacityOptions): Promise<TargetCapacityResult> {
  const { org, concurrency, tag } = options;
  // autocannon splits `amount` evenly over connections and each runs lookup, POST, lookup, ...:
  // every connection must get whole pairs, so users are rounded up to a multiple of C.
  const users = Math.ceil(options.users / concurrency) * concurrency;
  const basePath = new URL(org.scimBaseUrl).pathname.replace(/\/$/, '');
  let next = 0;
  // autocannon ends an `amount` run on its next 1-second tick, so its own start/finish round the
  // duration up to whole seconds; the rate is taken from our clock up to the last response instead.
  const startedAt = performance.now();
  let lastResponseAt = startedAt;
  const onResponse = () => {
    lastResponseAt = performance.now();
  };
  const result = await autocannon({
    url: org.scimBaseUrl,
    connections: concurrency,
    amount: users * 2,
    timeout: 30,
    headers: { authorization: `Bearer ${org.token}`, 'content-type': 'application/scim+json' },
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context) => {
          pair(context).n = next++;
          const filter = encodeURIComponent(`userName eq "${userNameOf(tag, pair(context).n)}"`);
          return { ...request, path: `${basePath}/Users?filter=${filter}` };
        },
        onResponse,
      },
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const { n } = pair(context);
          const body = {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName: userNameOf(tag, n),
            displayName: `Capacity User ${n}`,
            active: true,
            externalId: `cap-${tag}-${n}`,
          };
          return { ...request, path: `${basePath}/Users`, body: JSON.stringify(body) };
        },
        onResponse,
      },
    ],
  });
  const seconds = (lastResponseAt - startedAt) / 1000;
  const requestsPerSecond = result.requests.total / seconds;
  return {
    users,
    concurrency,
    seconds,
    requestsPerSecond,
    usersPerSecond: requestsPerSecond / 2,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
