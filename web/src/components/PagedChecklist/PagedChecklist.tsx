import type { ReactNode } from 'react';
import type { Page } from '../../api/types.ts';
import type { CursorPages } from '../../hooks/use-cursor-pages.ts';
import { Pager } from '../Pager/Pager.tsx';

type Props<T> = {
  /** Names the pager, as a screen may hold several of these lists. */
  label: string;
  data: Page<T> | undefined;
  pages: CursorPages;
  idOf: (item: T) => string;
  textOf: (item: T) => ReactNode;
  /** The ids ticked, on this page or any other. */
  selected: readonly string[];
  onToggle: (id: string) => void;
  /** Shown when the page has no items. */
  empty: ReactNode;
};

/** One page of a list as checkboxes, with its pager below; the selection spans every page. */
export function PagedChecklist<T>({ label, data, pages, idOf, textOf, selected, onToggle, empty }: Props<T>) {
  return (
    <>
      {data?.items.map((item) => {
        const id = idOf(item);
        return (
          <label className="check" key={id}>
            <input type="checkbox" checked={selected.includes(id)} onChange={() => onToggle(id)} />
            {textOf(item)}
          </label>
        );
      })}
      {data?.items.length === 0 && <p className="muted">{empty}</p>}
      <Pager pages={pages} nextCursor={data?.nextCursor} label={label} />
    </>
  );
}
