import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { App, AppUserRow, RoleRef } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { ConfirmDialog } from '../ConfirmDialog/ConfirmDialog.tsx';

const DEPROVISION: Record<App['provisioning']['onDelete'], string> = {
  delete: 'deletes the account on the target (it cannot be undone)',
  suspend: 'suspends the account on the target',
  none: 'leaves the account on the target as it is',
};

const roleNames = (roles: RoleRef[]) => roles.map((role) => role.name).join(', ');

/** Takes the user out of each role, leaving the roles' other users and apps as they are. */
async function leaveRoles(userId: string, roles: RoleRef[]): Promise<void> {
  for (const { id } of roles) {
    const role = await api.roles.get(id);
    await api.roles.setUsers(
      id,
      (role.userIds ?? []).filter((other) => other !== userId),
    );
  }
}

/**
 * Remove on App > Users. A direct assignment is removed; access that comes only from roles cannot
 * be, so the dialog says which roles give it and offers to take the user out of them instead.
 */
export function RemoveAccess({
  app,
  user,
  onError,
}: {
  app: App;
  user: AppUserRow;
  onError: (error: unknown) => void;
}) {
  const [asking, setAsking] = useState(false);
  const viaRolesOnly = !user.direct && user.roles.length > 0;
  const remove = useAction(() =>
    viaRolesOnly ? leaveRoles(user.userId, user.roles) : api.appUsers.unassign(app.id, user.userId),
  );
  const who = user.name ?? user.email;
  const outcome = `${app.name}'s deprovisioning action then ${DEPROVISION[app.provisioning.onDelete]}.`;
  const confirmLabel = !viaRolesOnly
    ? 'Remove'
    : user.roles.length === 1
      ? `Remove from role ${user.roles[0]?.name}`
      : `Remove from ${user.roles.length} roles`;
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        disabled={remove.isPending}
        aria-busy={remove.isPending}
        onClick={() => setAsking(true)}
      >
        Remove{remove.isPending && <span className="spinner" aria-hidden="true" />}
      </button>
      {asking && (
        <ConfirmDialog
          title={viaRolesOnly ? 'Access through a role' : 'Remove app access'}
          confirmLabel={confirmLabel}
          danger
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            remove.mutate(undefined, { onError });
          }}
        >
          {viaRolesOnly ? (
            <>
              <p>
                {who} has {app.name} through the role {roleNames(user.roles)}, not by a direct assignment, so
                there is nothing to remove here.
              </p>
              <p>
                Take {who} out of {user.roles.length === 1 ? 'that role' : 'those roles'}? {who} then loses
                every app the role gives, and {outcome}
              </p>
            </>
          ) : (
            <>
              <p>
                Remove {who} from {app.name}?
              </p>
              {user.roles.length > 0 ? (
                <p>
                  {who} also has {app.name} through the role {roleNames(user.roles)}, so the access stays
                  until
                  {user.roles.length === 1
                    ? ' that role no longer gives it'
                    : ' those roles no longer give it'}
                  .
                </p>
              ) : (
                <p>{outcome}</p>
              )}
            </>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
