import { Link } from 'react-router';
import { useUser } from '../../hooks/use-users.ts';

/** A directory user's name and email, linked to the user; the id while loading or when the user is gone. */
export function UserName({ userId }: { userId: string }) {
  const user = useUser(userId);
  if (!user.data) return <Link to={`/users/${userId}`}>{userId}</Link>;
  const { firstname, lastname, email } = user.data;
  return (
    <>
      <Link to={`/users/${userId}`}>{`${firstname} ${lastname}`.trim() || email}</Link>
      <span className="sub" data-email={email}>
        {email}
      </span>
    </>
  );
}
