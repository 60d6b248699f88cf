import { badRequest } from '../errors/app-error.ts';

/** Cursors are opaque offsets into a sorted-set index. */
export const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badRequest('query.cursor', 'is not a cursor this API issued');
  return Number(match[1]);
}

export const nextCursor = (offset: number, got: number, limit: number): string | null =>
  got < limit ? null : encodeCursor(offset + got);
