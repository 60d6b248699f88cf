import { deepEqual } from '../mapping/deep-equal.ts';
import type { Task, TaskStatus } from '../types/task.schema.ts';
import { textCompactor } from './compact-text.ts';

type StoredTask = Omit<Task, 'preview' | 'id' | 'appId'> & {
  id?: string;
  appId?: string;
  preview?: Task['preview'];
  previewIsResource?: true;
};

/** What a task's key says of it: a compact task leaves these out of its JSON. */
export interface TaskKey {
  appId: string;
  id: string;
}

/**
 * What a task's JSON repeats, as a preset dictionary for deflate: its keys in the order a task is
 * written, the SCIM core user's, a PatchOp's, the other actions, methods and statuses. The most common
 * come last (the nearest are the cheapest). A stored-format contract: never edit it in place; a new
 * vocabulary needs a new stored form, the old one kept for reading.
 */
const TASK_VOCABULARY_V1 = [
  '"urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}',
  '"name":{"formatted":"","familyName":"","givenName":""},"emails":[{"value":"","type":"work","primary":true}],',
  '"reason":"","error":"","held":true,"preview":null,',
  '"action":"update","action":"delete","action":"suspend","action":"reactivate","method":"PATCH","method":"PUT","method":"DELETE",',
  '"status":"failed","status":"denied","status":"superseded",',
  '{"id":"","appId":"","userId":"","action":"create","status":"succeeded","approvalKind":"create","createdAt":"2026-',
  'T00:00:00.000Z","method":"POST","resource":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"',
  '@example.com","displayName":"","active":true,"externalId":""},"groups":[],"decidedAt":"2026-',
  'T00:00:00.000Z","decidedBy":"admin","previewIsResource":true}',
].join('');

const TASK_V1 = textCompactor(TASK_VOCABULARY_V1);

/**
 * A done task is read seldom (a page of the app's tasks) and kept as long as the app: it is stored
 * deflated. A task still in the lifecycle's hands stays plain JSON (the push reads its queued tasks).
 */
const DONE: ReadonlySet<TaskStatus> = new Set(['succeeded', 'failed', 'denied', 'superseded']);

/**
 * A compact task: its status (commit.lua reads it without inflating), a space, the deflated JSON without
 * its id and app (its key's; compact tasks stored before hold them, and read as they are).
 */
const COMPACT = /^([a-z]+) /;

/**
 * A task as stored. The preview of a POST or PUT is the resource itself: it is stored once, and
 * `previewIsResource` says so (a task's largest part, kept twice, was a sixth of a pushed user's memory).
 * A done task's JSON is deflated after its status (see COMPACT); any other is the JSON itself, its
 * status the first key.
 */
export function encodeTask(task: Task): string {
  let stored: StoredTask = task;
  if (task.preview !== null && task.resource !== null && deepEqual(task.preview, task.resource)) {
    const { preview: _same, ...rest } = task;
    stored = { ...rest, previewIsResource: true };
  }
  if (DONE.has(task.status)) {
    const { id: _id, appId: _appId, ...unkeyed } = stored;
    return `${task.status} ${TASK_V1.compress(JSON.stringify(unkeyed))}`;
  }
  // The status first: a script reads it without decoding the JSON (stored-forms.lua).
  const { status, ...rest } = stored;
  return JSON.stringify({ status, ...rest });
}

/** A stored task as the lifecycle and the API see it (tasks stored whole, or as plain JSON, read as they are). */
export function decodeTask(raw: string, key: TaskKey): Task {
  const compact = COMPACT.exec(raw);
  const json = compact ? TASK_V1.decompress(raw.slice(compact[0].length)) : raw;
  const { previewIsResource, ...stored } = JSON.parse(json) as StoredTask;
  const task = compact ? { id: key.id, appId: key.appId, ...stored } : stored;
  return (previewIsResource ? { ...task, preview: task.resource } : task) as Task;
}
