import type { ScimUser } from '../mapping/scim-user.ts';
import { TASK_FORM_LUA } from './task-codec.ts';

/**
 * An app user's record is a Redis hash kept as a listpack, where the field names were a quarter of its
 * bytes: each field is stored under a short name, a field whose value is empty is not stored, and when
 * it was written (`updatedAt`) is epoch ms. Its user id is its key's: not stored (`userId` stays in
 * records written before; a record exists when it has a revision). Records stored before under these
 * long names still read (`storedFields`), and a script rewrites one in the new form before it reads it
 * (`migrate_record` in stored-forms.lua).
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
/**
 * Stands for the record's user id as a JSON string (its key holds it; a resource's `externalId` usually
 * is it). JSON text never holds this character raw, so the mark reads back unambiguously.
 */
const USER_ID_MARK = '\u0001';

/**
 * A resource as the record of `userId` stores it: its JSON, the core user's opening as CORE_USER_MARK
 * and every JSON string of the user id as USER_ID_MARK.
 */
export function storeResource(resource: ScimUser, userId: string): string {
  const json = JSON.stringify(resource).replaceAll(JSON.stringify(userId), USER_ID_MARK);
  return json.startsWith(CORE_USER) ? CORE_USER_MARK + json.slice(CORE_USER.length) : json;
}

/** The resource `storeResource` stored for `userId` (or JSON stored before it), null for none. */
export function readResource(stored: string | undefined, userId: string): ScimUser | null {
  if (!stored) return null;
  const json = stored.startsWith(CORE_USER_MARK) ? CORE_USER + stored.slice(CORE_USER_MARK.length) : stored;
  return JSON.parse(json.replaceAll(USER_ID_MARK, JSON.stringify(userId))) as ScimUser;
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
  // Lua 5.1 reads no \u escape in a string literal.
  `local USER_ID_MARK = string.char(${USER_ID_MARK.charCodeAt(0)})`,
].join('\n');

/** What every script that reads or writes a stored form puts before its own source (see LuaScript). */
export const STORED_FORMS_LUA = [
  RECORD_FORM_LUA,
  TASK_FORM_LUA,
  new URL('./stored-forms.lua', import.meta.url),
];
