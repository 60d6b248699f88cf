import type { NewLogEvent } from '../../shared/src/store/provisioning-log/provisioning-log.ts';

let sequence = 0;

/**
 * A create that succeeded, as the worker logs it against a generic target: the small SCIM bodies, a
 * uuid-long task id, the target's id and meta. Tests override what they care about; the log
 * benchmark fills Redis with these, so its bytes-per-event figure is a real push step's.
 */
export function buildLogEvent(overrides: Partial<NewLogEvent> = {}): NewLogEvent {
  sequence += 1;
  const appId = overrides.appId ?? 'app-1';
  const userId = overrides.userId ?? `user-${sequence}`;
  const userName = `${userId}@example.com`;
  const resource = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    displayName: 'Ada Lovelace',
    active: true,
    externalId: userId,
  };
  return {
    appId,
    userId,
    taskId: `4b3f6c1e-9a2d-4f8e-b7c5-${String(sequence).padStart(12, '0')}`,
    action: 'create',
    status: 'succeeded',
    attempt: 1,
    message: `Created ${userName} in the target (201)`,
    request: { method: 'POST', url: `http://127.0.0.1:3100/scim/v2/${appId}/Users`, body: resource },
    response: {
      status: 201,
      body: {
        ...resource,
        id: `9f8e7d6c-${sequence}`,
        meta: { resourceType: 'User', created: '2026-11-28T10:00:00.000Z' },
      },
    },
    durationMs: 12,
    ...overrides,
  };
}
