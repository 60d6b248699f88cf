import type { Task, TaskView } from '../../../shared/src/types/task.schema.ts';

/** A task as the API shows it: the resource it brings the target to stays internal. */
export function taskView({ resource: _internal, ...task }: Task): TaskView {
  return task;
}
