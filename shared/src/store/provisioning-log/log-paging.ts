import { Readable } from 'node:stream';
import type { LogEvent, LogPage } from '../../types/log-types.ts';

/** The users' emails by id, looked up in the directory per page of the export; a deleted user has none. */
export type EmailLookup = (userIds: string[]) => Promise<Map<string, string>>;

/**
 * The match's events, newest first, from `first` on: the next page is read only when the stream's
 * buffer (one page of events) runs low, so a reader that stops stops the Redis reads too.
 */
export function pagedEvents(
  first: LogPage,
  readPage: (cursor: string) => Promise<LogPage>,
  pageSize: number,
): Readable {
  async function* events(): AsyncGenerator<LogEvent> {
    let page = first;
    for (;;) {
      yield* page.items;
      if (!page.nextCursor) return;
      page = await readPage(page.nextCursor);
    }
  }
  return Readable.from(events(), { objectMode: true, highWaterMark: pageSize });
}
