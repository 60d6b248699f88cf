import { describe, expect, it } from 'vitest';
import type { TaskActionName } from '../types/task.schema.ts';
import { type Dialect, userChangeMethod } from './scim-dialects.ts';
import { previewRequest } from './scim-request-preview.ts';
import { CORE_USER_SCHEMA, PATCH_OP_SCHEMA } from './scim-schemas.ts';

const held = {
  schemas: [CORE_USER_SCHEMA],
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  active: true,
};
const renamed = { ...held, name: { givenName: 'Ada', familyName: 'King' }, displayName: 'Ada King' };
const suspended = { ...held, active: false };

/** The task each action carries: what the target should hold after it, and what it holds before. */
const CASES: Record<
  Exclude<TaskActionName, 'create' | 'delete'>,
  { resource: typeof held; onTarget: typeof held }
> = {
  update: { resource: renamed, onTarget: held },
  suspend: { resource: suspended, onTarget: held },
  reactivate: { resource: held, onTarget: suspended },
};
const CHANGES = Object.keys(CASES) as (keyof typeof CASES)[];

const preview = (
  dialect: Dialect,
  action: TaskActionName,
  patchSupported?: boolean,
  task = action === 'create' ? { resource: held, onTarget: null } : CASES[action as keyof typeof CASES],
) => previewRequest({ action, dialect, patchSupported, ...task });

describe('previewRequest', () => {
  it.each(['onelogin', 'okta', 'entra', 'rfc'] as const)('%s: a create POSTs the resource', (dialect) => {
    expect(preview(dialect, 'create', true)).toEqual({ method: 'POST', body: held });
  });

  it.each(['onelogin', 'okta', 'entra', 'rfc'] as const)(
    '%s: a delete is a DELETE without body',
    (dialect) => {
      expect(
        previewRequest({ action: 'delete', dialect, patchSupported: true, resource: null, onTarget: held }),
      ).toEqual({ method: 'DELETE', body: null });
    },
  );

  it.each([
    ['onelogin', true],
    ['okta', true],
    ['rfc', false],
  ] as const)('%s (ServiceProviderConfig PATCH %s): changes PUT the whole resource', (dialect, supported) => {
    for (const action of CHANGES)
      expect(preview(dialect, action, supported)).toEqual({ method: 'PUT', body: CASES[action].resource });
  });

  it('entra: changes are PatchOps against what the target holds, with capitalised op names', () => {
    expect(preview('entra', 'update')).toEqual({
      method: 'PATCH',
      body: {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'Replace', path: 'name.familyName', value: 'King' },
          { op: 'Replace', path: 'displayName', value: 'Ada King' },
        ],
      },
    });
    expect(preview('entra', 'suspend').body).toEqual({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'Replace', path: 'active', value: false }],
    });
    expect(preview('entra', 'reactivate').body).toEqual({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'Replace', path: 'active', value: true }],
    });
  });

  it('rfc with PATCH supported: PatchOps with lower-case op names', () => {
    expect(preview('rfc', 'suspend', true)).toEqual({
      method: 'PATCH',
      body: { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] },
    });
    expect(preview('rfc', 'update', true).body).toMatchObject({
      Operations: [
        { op: 'replace', path: 'name.familyName' },
        { op: 'replace', path: 'displayName' },
      ],
    });
  });

  it('without a known state on the target, a PatchOp replaces every attribute', () => {
    const body = preview('entra', 'update', undefined, { resource: renamed, onTarget: null }).body;
    expect(body).toEqual({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'userName', value: 'ada@example.com' },
        { op: 'Replace', path: 'name', value: renamed.name },
        { op: 'Replace', path: 'displayName', value: 'Ada King' },
        { op: 'Replace', path: 'active', value: true },
      ],
    });
  });

  it('rfc without recorded PATCH support (enabled before it was recorded) shows the PUT', () => {
    expect(preview('rfc', 'update')).toEqual({ method: 'PUT', body: renamed });
  });
});

describe('userChangeMethod', () => {
  it('is fixed by the dialect, or by ServiceProviderConfig for rfc (undefined until it is read)', () => {
    expect(userChangeMethod('onelogin', true)).toBe('PUT');
    expect(userChangeMethod('okta', undefined)).toBe('PUT');
    expect(userChangeMethod('entra', false)).toBe('PATCH');
    expect(userChangeMethod('rfc', true)).toBe('PATCH');
    expect(userChangeMethod('rfc', false)).toBe('PUT');
    expect(userChangeMethod('rfc', undefined)).toBeUndefined();
  });
});
