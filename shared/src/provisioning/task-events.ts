import type { NewLogEvent } from '../store/provisioning-log/provisioning-log.ts';
import type { Task } from '../types/task.schema.ts';
import { desiredResourceOf } from './plan.ts';

export const describeTask = (task: Task): string => {
  const resource = desiredResourceOf(task);
  return resource ? `${task.action} ${resource.userName}` : `${task.action} user ${task.userId}`;
};

/** A provisioning-log event about one task. */
export function taskEvent(
  task: Task,
  status: NewLogEvent['status'],
  message: string,
  actor?: string,
): NewLogEvent {
  return {
    appId: task.appId,
    userId: task.userId,
    taskId: task.id,
    action: task.action,
    status,
    message,
    ...(actor ? { actor } : {}),
  };
}

/** The 'approved' (with its actor) and 'queued' events of a task an admin approved. */
export const approvalEvents = (task: Task, actor: string): NewLogEvent[] => [
  taskEvent(task, 'approved', `Approved by ${actor}: ${describeTask(task)}.`, actor),
  taskEvent(task, 'queued', `Queued for push: ${describeTask(task)}.`),
];
