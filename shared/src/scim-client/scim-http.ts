import type { Dispatcher } from 'undici';
import { createGuardedAgent } from './guarded-agents.ts';
import type { TargetPolicy } from './target-policy.ts';

const agents = new Map<string, Dispatcher>();

/**
 * One keep-alive connection pool per process, policy and timeout (in practice one), shared by every target's
 * client; the timeout bounds a call's connect, its wait for the answer's headers and each wait within its body.
 */
export function scimHttp(policy: TargetPolicy, timeoutMs: number): Dispatcher {
  const key = JSON.stringify([policy, timeoutMs]);
  let agent = agents.get(key);
  if (!agent) {
    agent = createGuardedAgent(policy, timeoutMs);
    agents.set(key, agent);
  }
  return agent;
}
