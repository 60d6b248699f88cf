import type { ScimExchange } from '../../../shared/src/scim-client/scim-client.ts';
import type { LogStatus } from '../../../shared/src/store/provisioning-log/provisioning-log.ts';

/**
 * How one SCIM call of a push reads in the provisioning log. A read (the `userName eq` lookup, a group
 * lookup, ServiceProviderConfig) is a lookup whatever the task's action: it is logged `looked_up`, never
 * `succeeded`, so the create's successes count exactly the accounts created.
 */
export function stepStatus(exchange: ScimExchange): LogStatus {
  return exchange.request.method === 'GET' ? 'looked_up' : 'succeeded';
}

/** "Lookup " before a read, and what a list answer found. */
export function stepMessage(exchange: ScimExchange, call: string, answer: string): string {
  if (exchange.request.method !== 'GET') return `${call} → ${answer}`;
  const listed = (exchange.response?.body as { Resources?: unknown } | undefined)?.Resources;
  const found =
    !exchange.response || exchange.response.status >= 300 || !Array.isArray(listed)
      ? ''
      : listed.length === 0
        ? ': no match'
        : `: ${listed.length} found`;
  return `Lookup ${call} → ${answer}${found}`;
}
