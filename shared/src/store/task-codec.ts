import { deepEqual } from '../mapping/deep-equal.ts';
import type { Task, TaskStatus } from '../types/task.schema.ts';
import { textCompactor } from './compact-text.ts';
import { idTime } from './ids.ts';

type StoredTask = Omit<Task, 'preview' | 'id' | 'appId' | 'createdAt' | 'decidedAt'> & {
  id?: string;
  appId?: string;
  preview?: Task['preview'];
  previewIsResource?: true;
  /** Left out of a done task whose id tells it (see DONE_CODE). */
  createdAt?: string;
  /** In a done task of DONE_CODE's form, the ms from its creation. */
  decidedAt?: string | number;
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
 * A compact task stored before DONE_CODE: its status (commit.lua reads it without inflating), a space,
 * the deflated JSON (stored before 2026-11-29 21:00 UTC with its id and app), read as it is.
 */
const COMPACT = /^([a-z]+) /;

/**
 * A done task is read seldom (a page of the app's tasks) and kept as long as the app: it is stored
 * deflated. A task still in the lifecycle's hands stays plain JSON (the push reads its queued tasks).
 * A done task is one character for its status (commit.lua reads it without inflating, see
 * TASK_FORM_LUA), then its deflated JSON without its id and app (its key's), without `createdAt` when
 * its id tells it (`idTime`), and `decidedAt` as the ms after its creation. At one character and two
 * numbers the string of a pushed user's create fits jemalloc's 128-byte class instead of its 160.
 */
const DONE_CODE: Readonly<Partial<Record<TaskStatus, string>>> = {
  succeeded: 'S',
  failed: 'F',
  denied: 'D',
  superseded: 'X',
};
const DONE_STATUS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DONE_CODE).map(([status, code]) => [code, status]),
);

/** How a pending and a queued task's JSON open (encodeTask puts the status first). */
const PENDING_OPENING = '{"status":"pending",';
const QUEUED_OPENING = '{"status":"queued",';

/**
 * The task forms for the scripts (stored-forms.lua): `DONE_TASK_STATUS[code]` is a done task's status,
 * `PENDING_OPENING` what a pending task's JSON starts with.
 */
export const TASK_FORM_LUA = [
  `local DONE_TASK_STATUS = {${Object.entries(DONE_STATUS)
    .map(([code, status]) => `${code} = ${JSON.stringify(status)}`)
    .join(', ')}}`,
  `local PENDING_OPENING = ${JSON.stringify(PENDING_OPENING)}`,
].join('\n');

/** `toISOString`'s form: a time of it reads back as the same text from its epoch ms. */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** An ISO time as epoch ms, when that reads back as the same text (null otherwise: kept as it is). */
function exactMs(iso: string): number | null {
  if (!ISO_TIME.test(iso)) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A done task as DONE_CODE's form stores it: without its id and app, its times as numbers (one pass
 * over its keys, in their order: a copy by rest and spread cost the worker several µs a task).
 */
function doneForm(task: Task, stored: StoredTask): StoredTask {
  const created = exactMs(task.createdAt);
  const told = created !== null && idTime(task.id) === created;
  const out: Record<string, unknown> = {};
  for (const key in stored) {
    const value = stored[key as keyof StoredTask];
    if (key === 'id' || key === 'appId' || (key === 'createdAt' && told)) continue;
    const decided =
      key === 'decidedAt' && created !== null && typeof value === 'string' ? exactMs(value) : null;
    out[key] = decided === null || created === null ? value : decided - created;
  }
  return out as StoredTask;
}

/**
 * A task as stored. The preview of a POST or PUT is the resource itself: it is stored once, and
 * `previewIsResource` says so (a task's largest part, kept twice, was a sixth of a pushed user's memory).
 * A done task's JSON is deflated after its status's code (see DONE_CODE); any other is the JSON itself, its
 * status the first key.
 */
export function encodeTask(task: Task): string {
  let stored: StoredTask = task;
  if (task.preview !== null && task.resource !== null && deepEqual(task.preview, task.resource)) {
    const { preview: _same, ...rest } = task;
    stored = { ...rest, previewIsResource: true };
  }
  const code = DONE_CODE[task.status];
  if (code !== undefined) {
    return `${code}${TASK_V1.compress(JSON.stringify(doneForm(task, stored)))}`;
  }
  // The status first: a script reads it without decoding the JSON (stored-forms.lua).
  const { status, ...rest } = stored;
  return JSON.stringify({ status, ...rest });
}

/**
 * The JSON encodeTask writes for a pending task once queued with this decision, made from the pending
 * task's stored JSON (its keys kept in their order, the decision's last) instead of encoding the task
 * again; null for a task stored otherwise or holding a decision already.
 */
export function queuedFromStored(stored: string, decidedAt: string, decidedBy: string): string | null {
  if (!stored.startsWith(PENDING_OPENING) || !stored.endsWith('}') || stored.includes('"decided'))
    return null;
  const decision = JSON.stringify({ decidedAt, decidedBy }).slice(1);
  return `${QUEUED_OPENING}${stored.slice(PENDING_OPENING.length, -1)},${decision}`;
}

/** A stored task as the lifecycle and the API see it (tasks stored whole, or as plain JSON, read as they are). */
export function decodeTask(raw: string, key: TaskKey): Task {
  if (DONE_STATUS[raw.charAt(0)] !== undefined) return decodeDone(TASK_V1.decompress(raw.slice(1)), key);
  const compact = COMPACT.exec(raw);
  const json = compact ? TASK_V1.decompress(raw.slice(compact[0].length)) : raw;
  const { previewIsResource, ...stored } = JSON.parse(json) as StoredTask;
  const task = compact ? { id: key.id, appId: key.appId, ...stored } : stored;
  return (previewIsResource ? { ...task, preview: task.resource } : task) as Task;
}

/** A done task of DONE_CODE's form, from its JSON. */
function decodeDone(json: string, key: TaskKey): Task {
  const { previewIsResource, createdAt, decidedAt, ...stored } = JSON.parse(json) as StoredTask;
  const created = createdAt ?? new Date(idTime(key.id) ?? 0).toISOString();
  return {
    id: key.id,
    appId: key.appId,
    ...stored,
    createdAt: created,
    ...(decidedAt === undefined
      ? {}
      : {
          decidedAt:
            typeof decidedAt === 'number'
              ? new Date(Date.parse(created) + decidedAt).toISOString()
              : decidedAt,
        }),
    ...(previewIsResource ? { preview: stored.resource } : {}),
  } as Task;
}
