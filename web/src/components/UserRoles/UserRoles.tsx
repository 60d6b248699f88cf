import { api } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useRoles } from '../../hooks/use-roles.ts';
import { ErrorMessage } from '../ErrorMessage/ErrorMessage.tsx';

const withUser = (role: Role, userId: string, holds: boolean): string[] => {
  const others = (role.userIds ?? []).filter((id) => id !== userId);
  return holds ? [...others, userId] : others;
};

/** The roles a user holds, toggled one by one (a role's apps are assigned through it). */
export function UserRoles({ userId }: { userId: string }) {
  const roles = useRoles();
  const toggle = useAction(({ role, holds }: { role: Role; holds: boolean }) =>
    api.roles.setUsers(role.id, withUser(role, userId, holds)),
  );
  return (
    <fieldset className="fieldset">
      <legend>Roles</legend>
      <ErrorMessage error={roles.error ?? toggle.error} />
      {roles.data?.length === 0 && <p className="muted">No roles yet: create them under Roles.</p>}
      {roles.data?.map((role) => (
        <label className="check" key={role.id}>
          <input
            type="checkbox"
            checked={role.userIds?.includes(userId) ?? false}
            disabled={toggle.isPending}
            onChange={(event) => toggle.mutate({ role, holds: event.target.checked })}
          />
          {role.name}
        </label>
      ))}
    </fieldset>
  );
}
