type Props = {
  hasPrevious: boolean;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  page: number;
};

/** Cursor pagination: forward with the API's nextCursor, back through the cursors already seen. */
export function Pager({ hasPrevious, nextCursor, onPrevious, onNext, page }: Props) {
  return (
    <nav className="pager" aria-label="Pagination">
      <button type="button" className="btn btn-secondary" disabled={!hasPrevious} onClick={onPrevious}>
        ‹ Previous
      </button>
      <span>Page {page}</span>
      <button
        type="button"
        className="btn btn-secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && onNext(nextCursor)}
      >
        Next ›
      </button>
    </nav>
  );
}
