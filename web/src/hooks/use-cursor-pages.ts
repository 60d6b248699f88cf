import { useCallback, useState } from 'react';

/** The cursors of the pages visited so far; the current page's cursor is the last one. */
export const useCursorPages = () => {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const next = useCallback((nextCursor: string) => setCursors((seen) => [...seen, nextCursor]), []);
  const previous = useCallback(() => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { cursor, page: cursors.length, hasPrevious: cursors.length > 1, next, previous, reset };
};

export type CursorPages = ReturnType<typeof useCursorPages>;
