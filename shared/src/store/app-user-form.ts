import type { ScimUser } from '../mapping/scim-user.ts';

/**
 * An app user's record is a Redis hash kept as a listpack, where the field names were a quarter of its
 * bytes: each field is stored under a short name, a field whose value is empty is not stored, and when
 * it was written (`updatedAt`) is epoch ms. Records stored before under these long names still read
 * (`storedFields`), and a script rewrites one in the new form before it reads it (`migrate_record` in
 * stored-forms.lua).
 */
export const RECORD_FIELD = {
  userId: 'u',
  email: 'e',
  state: 's',
  assigned: 'a',
  pendingTaskId: 'p',
  externalId: 'x',
  lastError: 'le',
  updatedAt: 't',
  outcome: 'o',
  intent: 'i',
  intentResource: 'ir',
  intentGroups: 'ig',
  pushedResource: 'pr',
  pushedGroups: 'pg',
  pushedActive: 'pa',
  creating: 'c',
  rev: 'r',
  queuedCount: 'q',
  leaseOwner: 'lo',
  leaseUntil: 'lu',
} as const;

export type RecordField = keyof typeof RECORD_FIELD;

/** A record's hash with its fields under their short names, whichever form it was stored in. */
export function storedFields(h: Record<string, string>): Record<string, string> {
  if (h.userId === undefined) return h;
  const renamed: Record<string, string> = {};
  for (const [name, value] of Object.entries(h))
    renamed[(RECORD_FIELD as Record<string, string>)[name] ?? name] = value;
  return renamed;
}

/** What nearly every resource starts with (the SCIM core user's schemas), stored as one character. */
const CORE_USER = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],';
const CORE_USER_MARK = '~';

/** A resource as a record stores it: its JSON, the core user's opening as CORE_USER_MARK. */
export function storeResource(resource: ScimUser): string {
  const json = JSON.stringify(resource);
  return json.startsWith(CORE_USER) ? CORE_USER_MARK + json.slice(CORE_USER.length) : json;
}

/** The resource `storeResource` stored (or JSON stored before it), null for none. */
export function readResource(stored: string | undefined): ScimUser | null {
  if (!stored) return null;
  const json = stored.startsWith(CORE_USER_MARK) ? CORE_USER + stored.slice(CORE_USER_MARK.length) : stored;
  return JSON.parse(json) as ScimUser;
}

/** When a record was last written: stored as epoch ms (ISO text before), read as ISO text. */
export function readTime(stored: string | undefined): string {
  if (!stored) return '';
  return /^\d+$/.test(stored) ? new Date(Number(stored)).toISOString() : stored;
}

const luaString = (text: string): string => JSON.stringify(text);

/**
 * The stored form's names for the scripts (stored-forms.lua uses them): `F.<name>` is a field's short
 * name, `FIELD_NAMED[short]` its long one, and the resource's opening and its mark.
 */
export const RECORD_FORM_LUA = [
  `local F = {${Object.entries(RECORD_FIELD)
    .map(([name, short]) => `${name} = ${luaString(short)}`)
    .join(', ')}}`,
  'local FIELD_NAMED = {}',
  'for name, short in pairs(F) do FIELD_NAMED[short] = name end',
  `local CORE_USER, CORE_USER_MARK = ${luaString(CORE_USER)}, ${luaString(CORE_USER_MARK)}`,
].join('\n');

/** What every script that reads or writes a stored form puts before its own source (see LuaScript). */
export const STORED_FORMS_LUA = [RECORD_FORM_LUA, new URL('./stored-forms.lua', import.meta.url)];
