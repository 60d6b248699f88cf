import type { NewLogEvent } from '../../shared/src/store/provisioning-log/provisioning-log.ts';

let sequence = 0;

/** A create that succeeded, with the small SCIM bodies a real push logs; override what a test cares about. */
export function buildLogEvent(overrides: Partial<NewLogEvent> = {}): NewLogEvent {
  sequence += 1;
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
    appId: 'app-1',
    userId,
    taskId: `task-${sequence}`,
    action: 'create',
    status: 'succeeded',
    attempt: 1,
    message: `Created ${userName} in the target (201)`,
    request: { method: 'POST', url: 'http://127.0.0.1:3100/scim/v2/org-1/Users', body: resource },
    response: { status: 201, body: { ...resource, id: `scim-${sequence}`, meta: { resourceType: 'User' } } },
    durationMs: 12,
    ...overrides,
  };
}
