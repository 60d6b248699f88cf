import type { ScimMethod, ScimResource, TaskActionName } from '../types/task.schema.ts';
import { diffOperations, patchMessage } from './patch-ops.ts';
import { DIALECTS, type Dialect, userChangeMethod } from './scim-dialects.ts';

export interface RequestPreview {
  method: ScimMethod;
  /** The resource (POST, PUT), a PatchOp message (PATCH), or null (DELETE). */
  body: ScimResource | ReturnType<typeof patchMessage> | null;
}

export interface PreviewInput {
  action: TaskActionName;
  dialect: Dialect;
  /** What Enable's connection test read of the target's PATCH support. */
  patchSupported: boolean | undefined;
  /** What the target should hold once the task is pushed; null for a delete. */
  resource: ScimResource | null;
  /** What the target holds, as far as provisim knows. */
  onTarget: ScimResource | null;
}

/**
 * The SCIM request a push of the task would send, decided as the worker decides it: POST for a create,
 * DELETE without a body, otherwise PUT of the whole resource or a PatchOp turning `onTarget` into it.
 */
export function previewRequest(input: PreviewInput): RequestPreview {
  const { action, dialect, resource } = input;
  if (action === 'delete' || resource === null) return { method: 'DELETE', body: null };
  if (action === 'create') return { method: 'POST', body: resource };
  // Unknown support (an app enabled before Enable recorded it): the worker asks the target; PUT is the guess.
  const method = userChangeMethod(dialect, input.patchSupported) ?? 'PUT';
  if (method === 'PUT') return { method, body: resource };
  return { method, body: patchMessage(diffOperations(input.onTarget, resource), DIALECTS[dialect].ops) };
}
