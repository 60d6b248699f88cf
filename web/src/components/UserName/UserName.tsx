import { Link } from 'react-router';
import type { LogUser } from '../../../../shared/src/types/log-pushes.ts';
import { useUser } from '../../hooks/use-users.ts';

type Props = {
  userId: string;
  /** The user as the API already named them (null: no longer in the directory); looked up when absent. */
  user?: LogUser | null;
};

/** A directory user's name and email, linked to the user; the id while loading or when the user is gone. */
export function UserName({ userId, user }: Props) {
  if (user === null)
    return (
      <>
        <span className="mono">{userId}</span>
        <span className="sub">no longer in the directory</span>
      </>
    );
  if (user) return <NameAndEmail userId={userId} name={user.name} email={user.email} />;
  return <LookedUpName userId={userId} />;
}

function LookedUpName({ userId }: { userId: string }) {
  const user = useUser(userId);
  if (!user.data) return <Link to={`/users/${userId}`}>{userId}</Link>;
  const { firstname, lastname, email } = user.data;
  return <NameAndEmail userId={userId} name={`${firstname} ${lastname}`.trim()} email={email} />;
}

function NameAndEmail({ userId, name, email }: { userId: string; name: string; email: string }) {
  return (
    <>
      <Link to={`/users/${userId}`}>{name || email}</Link>
      <span className="sub" data-email={email}>
        {email}
      </span>
    </>
  );
}
