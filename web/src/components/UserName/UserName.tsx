import { Link } from 'react-router';
import { useUser } from '../../hooks/use-users.ts';

/** A directory user's email, linked to the user; the id while loading or when the user is gone. */
export function UserName({ userId }: { userId: string }) {
  const user = useUser(userId);
  return <Link to={`/users/${userId}`}>{user.data?.email ?? userId}</Link>;
}
