import type { CursorPages } from '../../hooks/use-cursor-pages.ts';

type Props = {
  pages: CursorPages;
  nextCursor: string | null | undefined;
  /** Names the pager when one screen holds several. */
  label?: string;
};

/** Cursor pagination: forward with the API's nextCursor, back through the cursors already seen. */
export function Pager({ pages, nextCursor, label = 'Pagination' }: Props) {
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="btn btn-secondary"
        disabled={!pages.hasPrevious}
        onClick={pages.previous}
      >
        ‹ Previous
      </button>
      <span>Page {pages.page}</span>
      <button
        type="button"
        className="btn btn-secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        Next ›
      </button>
    </nav>
  );
}
