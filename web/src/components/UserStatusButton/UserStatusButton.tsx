import { api } from '../../api/client.ts';
import type { UserStatus } from '../../api/types.ts';
import { useAction } from '../../hooks/use-action.ts';
import { ActionButton } from '../ActionButton/ActionButton.tsx';

type Props = { userId: string; status: UserStatus };

/** Suspend an active directory user, or reactivate a suspended one. */
export function UserStatusButton({ userId, status }: Props) {
  const suspend = useAction(() => api.users.suspend(userId));
  const reactivate = useAction(() => api.users.reactivate(userId));
  return status === 'active' ? (
    <ActionButton action={suspend} variables={undefined}>
      Suspend
    </ActionButton>
  ) : (
    <ActionButton action={reactivate} variables={undefined}>
      Reactivate
    </ActionButton>
  );
}
