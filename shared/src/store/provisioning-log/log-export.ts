import { stringify } from 'csv-stringify/sync';
import type { LogEvent } from './log-types.ts';

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

const csvRow = (event: LogEvent) => ({
  ...event,
  request: event.request ? JSON.stringify(event.request) : undefined,
  response: event.response ? JSON.stringify(event.response) : undefined,
});

/** One chunk of an export: a page of events as CSV rows (with the header line first) or NDJSON lines. */
export function formatChunk(events: LogEvent[], format: ExportFormat, first: boolean): string {
  if (format === 'ndjson') return events.map((event) => `${JSON.stringify(event)}\n`).join('');
  return stringify(events.map(csvRow), { header: first, columns: [...EXPORT_COLUMNS] });
}
