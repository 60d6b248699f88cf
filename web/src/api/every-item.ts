import type { Page } from './types.ts';

/** The contract's largest page, so that reading a whole list takes as few calls as it can. */
export const MAX_PAGE = 1000;

/** Every item of a cursor-paginated list, following `nextCursor` to the end. */
export async function everyItem<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
