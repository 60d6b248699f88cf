import { useEffect, useState } from 'react';
import type { DirectoryUser } from '../../api/types.ts';
import { useUser, useUsers } from '../../hooks/use-users.ts';

const fullName = (user: DirectoryUser) => `${user.firstname} ${user.lastname}`.trim();

/** The directory user the text names: an email, or a full name, in any case. */
const named = (users: DirectoryUser[], text: string) => {
  const wanted = text.trim().toLowerCase();
  return users.find((user) => user.email.toLowerCase() === wanted || fullName(user).toLowerCase() === wanted);
};

/** The log's User filter: type an email or a name (the directory search offers both), never an id. */
export function LogUserFilter({
  userId,
  onChange,
}: {
  userId: string | undefined;
  onChange: (userId: string | undefined) => void;
}) {
  const [text, setText] = useState('');
  const users = useUsers(text.trim(), null);
  // A filter that came with the URL (e.g. from a user's page) shows whose events these are.
  const current = useUser(userId ?? '');
  const found = users.data?.items ?? [];
  const match = text.trim() ? named(found, text)?.id : undefined;
  // The search answers after the keystroke: the filter follows once the answer names one user.
  useEffect(() => {
    if (match && match !== userId) onChange(match);
  }, [match, userId, onChange]);
  return (
    <label className="field inline">
      <span>User</span>
      <input
        type="search"
        list="log-user-options"
        aria-label="User"
        placeholder={
          userId && current.data ? `${fullName(current.data)} (${current.data.email})` : 'Email or name'
        }
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (!event.target.value) onChange(undefined);
        }}
      />
      <datalist id="log-user-options">
        {found.flatMap((user) => [
          <option key={`${user.id}-email`} value={user.email}>
            {fullName(user)}
          </option>,
          <option key={`${user.id}-name`} value={fullName(user)}>
            {user.email}
          </option>,
        ])}
      </datalist>
    </label>
  );
}
