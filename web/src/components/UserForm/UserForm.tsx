import { type FormEvent, useState } from 'react';
import type { UserInput } from '../../api/types.ts';

const FIELDS = [
  ['firstname', 'First name', true],
  ['lastname', 'Last name', true],
  ['email', 'Email', true],
  ['username', 'Username', false],
  ['department', 'Department', false],
  ['title', 'Title', false],
] as const;

type Props = {
  initial?: Partial<UserInput>;
  submitLabel: string;
  busy: boolean;
  onSubmit: (input: UserInput) => void;
};

const customToText = (custom: Record<string, string> = {}): string =>
  Object.entries(custom)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');

/** `name=value` lines; a line without `=` or a name is ignored. */
export const parseCustomFields = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.split('='))
      .filter(([name, ...rest]) => name?.trim() && rest.length > 0)
      .map(([name, ...rest]) => [name?.trim() ?? '', rest.join('=').trim()]),
  );

/** The directory user's fields; empty optional fields are left out of the request. */
export function UserForm({ initial = {}, submitLabel, busy, onSubmit }: Props) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(FIELDS.map(([key]) => [key, String(initial[key] ?? '')])),
  );
  const [customText, setCustomText] = useState(() => customToText(initial.custom));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = (key: string) => values[key]?.trim() ?? '';
    const optional = (key: 'username' | 'department' | 'title') => (value(key) ? { [key]: value(key) } : {});
    onSubmit({
      firstname: value('firstname'),
      lastname: value('lastname'),
      email: value('email'),
      ...optional('username'),
      ...optional('department'),
      ...optional('title'),
      custom: parseCustomFields(customText),
    });
  };
  return (
    <form className="user-form" onSubmit={submit}>
      {FIELDS.map(([key, label, required]) => (
        <label className="field" key={key}>
          <span>{label}</span>
          <input
            name={key}
            type={key === 'email' ? 'email' : 'text'}
            required={required}
            value={values[key] ?? ''}
            onChange={(event) => setValues((current) => ({ ...current, [key]: event.target.value }))}
          />
        </label>
      ))}
      <label className="field">
        <span>Custom fields (one per line: name=value)</span>
        <textarea
          name="custom"
          rows={2}
          value={customText}
          onChange={(event) => setCustomText(event.target.value)}
          placeholder="costCenter=CC-42"
        />
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {submitLabel}
        {busy && <span className="spinner" aria-hidden="true" />}
      </button>
    </form>
  );
}
