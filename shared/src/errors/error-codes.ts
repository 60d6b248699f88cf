import type { TaskStatus } from '../types/task.schema.ts';

/** The 409 codes: each names the state that refused the request, so a client can branch on it. */
export const CONFLICT_CODES = [
  'api_connection_not_enabled',
  'configuration_missing',
  'deletion_hold_active',
  'deletion_hold_count_changed',
  'email_taken',
  'group_name_taken',
  'import_item_decided',
  'no_deletion_hold',
  'no_directory_user',
  'no_pending_email',
  'not_assigned',
  'nothing_to_link',
  'plan_changed',
  'provisioning_disabled',
  'push_in_flight',
  'scim_disabled',
  'scim_username_unset',
  'sso_not_configured',
  'sso_required',
  'transition_contended',
  'user_name_taken',
] as const;

/** A task decided in another state than the one the admin saw (`task_not_pending`, ...). */
export type TaskNotInStatusCode = `task_not_${TaskStatus}`;
export type ConflictCode = (typeof CONFLICT_CODES)[number] | TaskNotInStatusCode;

/** Every other code the admin API and the target's management API answer with. */
export const OTHER_ERROR_CODES = [
  'invalid_input',
  'invalid_json',
  'invalid_body',
  'unauthorized',
  'not_provisioned',
  'suspended',
  'invitation_pending',
  'not_found',
  'route_not_found',
  'payload_too_large',
  'target_refused',
  'internal_error',
  'target_unreachable',
  'store_unavailable',
  'target_timeout',
] as const;

/** The closed set of `error.code` values in the contract's envelope: a new code is added here, on purpose. */
export type ErrorCode = ConflictCode | (typeof OTHER_ERROR_CODES)[number];
