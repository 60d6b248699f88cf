/** The lifecycle compat drives in each dialect, in order; a step runs only when the steps it needs passed. */
export const COMPAT_STEPS = [
  { id: 'connection', title: 'Connection test', needs: [] },
  { id: 'create', title: 'Create (lookup, then POST)', needs: ['connection'] },
  { id: 'create-link', title: 'Create: exists, link it', needs: ['connection'] },
  { id: 'update-name', title: 'Update name', needs: ['create'] },
  { id: 'update-email', title: 'Update email/userName', needs: ['create'] },
  { id: 'suspend', title: 'Suspend', needs: ['create'] },
  { id: 'reactivate', title: 'Reactivate', needs: ['suspend'] },
  { id: 'group-add', title: 'Group add', needs: ['create'] },
  { id: 'group-remove', title: 'Group remove', needs: ['group-add'] },
  { id: 'delete', title: 'Delete', needs: ['create'] },
  { id: 'recreate', title: 'Re-create after delete', needs: ['delete'] },
] as const satisfies readonly { id: string; title: string; needs: readonly string[] }[];

export type StepId = (typeof COMPAT_STEPS)[number]['id'];
