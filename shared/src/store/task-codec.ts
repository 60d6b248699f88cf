import { deepEqual } from '../mapping/deep-equal.ts';
import type { Task } from '../types/task.schema.ts';

type StoredTask = Omit<Task, 'preview'> & { preview?: Task['preview']; previewIsResource?: true };

/**
 * A task's JSON as stored. The preview of a POST or PUT is the resource itself: it is stored once, and
 * `previewIsResource` says so (a task's largest part, kept twice, was a sixth of a pushed user's memory).
 */
export function encodeTask(task: Task): string {
  if (task.preview === null || task.resource === null || !deepEqual(task.preview, task.resource))
    return JSON.stringify(task);
  const { preview: _same, ...rest } = task;
  return JSON.stringify({ ...rest, previewIsResource: true } satisfies StoredTask);
}

/** A stored task as the lifecycle and the API see it (tasks stored before `previewIsResource` read as they are). */
export function decodeTask(raw: string): Task {
  const { previewIsResource, ...stored } = JSON.parse(raw) as StoredTask;
  return (previewIsResource ? { ...stored, preview: stored.resource } : stored) as Task;
}
