import type { ReactNode } from 'react';
import type { Page } from '../../api/types.ts';
import type { CursorPages } from '../../hooks/use-cursor-pages.ts';
import { Pager } from '../Pager/Pager.tsx';

type Props<T> = {
  className: string;
  columns: readonly string[];
  data: Page<T> | undefined;
  pages: CursorPages;
  /** The row shown when the page has no items. */
  empty: ReactNode;
  row: (item: T, index: number) => ReactNode;
};

/** One page of a cursor-paginated list as a table, with its pager below. */
export function PagedTable<T>({ className, columns, data, pages, empty, row }: Props<T>) {
  return (
    <>
      <table className={className}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data?.items.map((item, index) => row(item, index))}
          {data?.items.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <Pager pages={pages} nextCursor={data?.nextCursor} />
    </>
  );
}
