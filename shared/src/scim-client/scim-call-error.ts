/** One HTTP call to a SCIM target as the provisioning log records it; headers (and so the token) never appear. */
export interface ScimExchange {
  request: { method: string; url: string; body?: unknown };
  response?: { status: number; body?: unknown };
  durationMs: number;
  error?: string;
}

/**
 * retryable: network, timeouts, 5xx, 429; permanent: other 4xx and malformed answers; auth: 401/403;
 * refused: the target policy (allowlist, reserved addresses) forbade the request, so it was never sent.
 */
export type ScimFailureKind = 'retryable' | 'permanent' | 'auth' | 'refused';

export class ScimCallError extends Error {
  constructor(
    readonly kind: ScimFailureKind,
    message: string,
    readonly exchange: ScimExchange,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ScimCallError';
  }
}
