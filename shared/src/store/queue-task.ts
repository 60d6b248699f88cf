import type { ChainableCommander } from 'ioredis';
import type { ScimResource, Task, TaskActionName } from '../types/task.schema.ts';
import type { AppUserPatch, AppUsersStore, Intent } from './app-users.store.ts';
import type { TasksStore } from './tasks.store.ts';

export const intentOf = (action: TaskActionName): Intent =>
  action === 'delete' ? 'absent' : action === 'suspend' ? 'suspended' : 'active';

/** The resource the target should hold once `task` is pushed (older tasks kept it as their preview). */
export const desiredResourceOf = (task: Task): ScimResource | null =>
  task.resource !== undefined ? task.resource : (task.preview as ScimResource | null);

/** Queues the writes that record `task` as queued and make its outcome the state the next push reconciles towards. */
export function queueTaskWrites(
  stores: { tasks: TasksStore; appUsers: AppUsersStore },
  p: ChainableCommander,
  task: Task,
  previous: Task['status'] | null,
  extra: AppUserPatch = {},
): void {
  stores.tasks.save(p, task, previous);
  stores.appUsers.addQueuedTask(p, task.appId, task.userId, task.id);
  stores.appUsers.write(p, task.appId, task.userId, {
    ...extra,
    pendingTaskId: null,
    intent: intentOf(task.action),
    intentResource: desiredResourceOf(task),
    intentGroups: task.groups,
    outcome: '',
  });
}
