import { Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { LogEvent } from '../../../../shared/src/types/log-types.ts';

export type ExportFormat = 'csv' | 'ndjson';

export const EXPORT_COLUMNS = [
  'id',
  'at',
  'appId',
  'userId',
  'email',
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

/** Bytes of formatted events gathered into one write of the response. */
export const EXPORT_WRITE_BYTES = 64 * 1024;

/**
 * Gathers the formatter's one-event chunks into writes of about `size` bytes: a response write (an
 * HTTP chunk, a socket write) per event costs more than formatting the event. Holds less than `size`.
 */
export function batchWrites(size = EXPORT_WRITE_BYTES): Transform {
  let parts: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      length += chunk.length;
      if (length < size) return done();
      const batch = Buffer.concat(parts, length);
      parts = [];
      length = 0;
      done(null, batch);
    },
    flush(done) {
      done(null, length > 0 ? Buffer.concat(parts, length) : undefined);
    },
  });
}
