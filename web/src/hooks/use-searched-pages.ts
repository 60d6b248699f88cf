import { useCallback, useState } from 'react';
import { useCursorPages } from './use-cursor-pages.ts';

/** The search text of a paged list and its pages: a new search starts again from page 1. */
export const useSearchedPages = () => {
  const [query, setText] = useState('');
  const pages = useCursorPages();
  const { reset } = pages;
  const setQuery = useCallback(
    (value: string) => {
      setText(value);
      reset();
    },
    [reset],
  );
  return { query, setQuery, pages };
};
