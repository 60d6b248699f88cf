import { Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { LogEvent, LogPage } from './log-types.ts';

export type ExportFormat = 'csv' | 'ndjson';

export const EXPORT_COLUMNS = [
  'id',
  'at',
  'appId',
  'userId',
  'taskId',
  'action',
  'status',
  'attempt',
  'actor',
  'message',
  'durationMs',
  'request',
  'response',
] as const;

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

/**
 * Events in, text out, one event at a time, so nothing is formatted ahead of what the reader takes and
 * each event's garbage dies young. (Formatting a whole page at once with csv-stringify's sync API held a
 * page of rows, string pieces and escaped copies alive across collections: the heap grew by tens of MB.)
 */
export function exportFormatter(format: ExportFormat): Transform {
  if (format === 'csv')
    return stringify({
      header: true,
      columns: [...EXPORT_COLUMNS],
      cast: { object: (value) => JSON.stringify(value) },
    });
  return new Transform({
    writableObjectMode: true,
    transform(event: LogEvent, _encoding, done) {
      done(null, `${JSON.stringify(event)}\n`);
    },
  });
}
