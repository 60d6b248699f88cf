import type { Dispatcher } from 'undici';
import { createGuardedAgent } from './guarded-agents.ts';
import { PerPolicy } from './per-policy.ts';
import type { TargetPolicy } from './target-policy.ts';

const agents = new Map<string, Dispatcher>();
/** The agent of each policy object and timeout, so that a push's client finds it without encoding the policy. */
const agentsOfPolicy = new PerPolicy<number, Dispatcher>();

/**
 * One keep-alive connection pool per process, policy and timeout (in practice one), shared by every target's
 * client; the timeout bounds a call's connect, its wait for the answer's headers and each wait within its body.
 */
export function scimHttp(policy: TargetPolicy, timeoutMs: number): Dispatcher {
  const ofPolicy = agentsOfPolicy.of(policy);
  let agent = ofPolicy.get(timeoutMs);
  if (!agent) {
    // An equal policy held in another object shares the pool.
    const key = JSON.stringify([policy, timeoutMs]);
    agent = agents.get(key) ?? createGuardedAgent(policy, timeoutMs);
    agents.set(key, agent);
    ofPolicy.set(timeoutMs, agent);
  }
  return agent;
}
