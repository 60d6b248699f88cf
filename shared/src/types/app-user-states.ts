/** The states of a user in an app; zod-free so the UI can import the list without bundling zod. */
export const APP_USER_STATES = [
  'pending',
  'queued',
  'provisioned',
  'suspended',
  'deprovisioned',
  'failed',
  'denied',
] as const;
export type AppUserState = (typeof APP_USER_STATES)[number];
