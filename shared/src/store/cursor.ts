import { FieldError } from '../errors/field-error.ts';

/**
 * Cursors are opaque: a position in base64url. Lists keep an offset into a sorted-set index (`o:12`);
 * the provisioning log's cursors hold an event id (see log-codec.ts).
 */
export const encodeCursor = (position: string): string => Buffer.from(position).toString('base64url');

/** The position a cursor holds, or null when it is not one `encodeCursor` made of the shape `position` matches. */
export function decodeCursor(cursor: string, position: RegExp): string | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return null;
  const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
  return position.test(decoded) ? decoded : null;
}

const OFFSET = /^o:\d{1,15}$/;

/** The offset a list's `query.cursor` points at (0 without one). */
export function cursorOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const position = decodeCursor(cursor, OFFSET);
  if (position === null) throw new FieldError('query.cursor', 'is not a cursor this API issued');
  return Number(position.slice(2));
}

export const offsetCursor = (offset: number): string => encodeCursor(`o:${offset}`);

export const nextCursor = (offset: number, got: number, limit: number): string | null =>
  got < limit ? null : offsetCursor(offset + got);
