import type { AppUserRecord } from '../../../shared/src/store/app-users.store.ts';
import type { AppUser } from '../../../shared/src/types/task.schema.ts';

/** The contract's view of an app user (internal fields dropped). */
export function appUserView(r: AppUserRecord): AppUser {
  return {
    userId: r.userId,
    email: r.email,
    state: r.state,
    assigned: r.assigned,
    pendingTaskId: r.pendingTaskId,
    externalId: r.externalId,
    lastError: r.lastError,
    updatedAt: r.updatedAt,
  };
}
