import type { ScimMethod, Task, TaskView } from '../../../../shared/src/types/task.schema.ts';

// Tasks stored before `method` existed show the whole resource as their body, which only POST and PUT send.
const storedBeforeMethod = (action: Task['action']): ScimMethod =>
  action === 'create' ? 'POST' : action === 'delete' ? 'DELETE' : 'PUT';

/** A task as the API shows it: the resource it brings the target to stays internal. */
export function taskView({ resource: _internal, method, ...task }: Task): TaskView {
  return { ...task, method: method ?? storedBeforeMethod(task.action) };
}
