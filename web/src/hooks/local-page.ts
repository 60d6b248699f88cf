import type { Page } from '../api/types.ts';

/**
 * One page of a list the console already holds whole, in the API's page shape so that the same
 * PagedTable and Pager show it; the cursor is the page's offset.
 */
export function localPage<T>(items: readonly T[] | undefined, cursor: string | null, size: number) {
  if (items === undefined) return undefined;
  const offset = Number(cursor ?? 0);
  const end = offset + size;
  const page: Page<T> = {
    items: items.slice(offset, end),
    nextCursor: end < items.length ? String(end) : null,
  };
  return page;
}
