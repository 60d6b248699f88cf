/** What the built-in target's management API (`/target-api`) answers: the target returns them, the UI reads them. */

export interface OrgView {
  id: string;
  name: string;
  scimBaseUrl: string;
  sso: { configured: boolean; enforced: boolean };
  scimEnabled: boolean;
  strictAttributes: boolean;
  seatLimit: number | null;
  token: { createdAt: string; expiresAt: string } | null;
  createdAt: string;
}

export interface TargetUserView {
  scimId: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  invitation: 'pending' | 'accepted';
  email: string | null;
  pendingEmail: string | null;
  createdAt: string;
}

export interface Faults {
  latencyMs: number;
  errorRate: number;
  rateLimit: { perSecond: number } | null;
  failNext: { status: number; count: number }[];
}

export interface JournalEntry {
  at: string;
  method: string;
  path: string;
  body: unknown;
  status: number;
  /** The caller went away before the answer reached it (the request was still carried out). */
  callerGone?: true;
}

export interface TargetGroupView {
  scimId: string;
  displayName: string;
  externalId: string | null;
  /** Each member's id and, when it is a user of the org, its userName. */
  members: { value: string; userName: string | null }[];
  createdAt: string;
}

/** A simulated change made in the target's own admin screens, behind the identity provider's back. */
export interface OutOfBandChange {
  displayName?: string;
  userName?: string;
  active?: boolean;
}

/** What a person trying to log in meets, as an answer (a refusal is an outcome the console shows, not an error). */
export type LoginAttempt =
  | { allowed: true; userName: string; scimId: string }
  | { allowed: false; code: 'not_provisioned' | 'suspended' | 'invitation_pending'; message: string };
