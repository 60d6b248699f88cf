import { stringify } from 'csv-stringify/sync';
import type { LogEvent } from './log-types.ts';

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

/** The users' emails by id, looked up in the directory per page of the export; a deleted user has none. */
export type EmailLookup = (userIds: string[]) => Promise<Map<string, string>>;

const csvRow = (event: LogEvent, emails: Map<string, string> | undefined) => ({
  ...event,
  email: emails?.get(event.userId) ?? '',
  request: event.request ? JSON.stringify(event.request) : undefined,
  response: event.response ? JSON.stringify(event.response) : undefined,
});

/** One chunk of an export: a page of events as CSV rows (with the header line first) or NDJSON lines. */
export function formatChunk(
  events: LogEvent[],
  format: ExportFormat,
  first: boolean,
  emails?: Map<string, string>,
): string {
  if (format === 'ndjson')
    return events
      .map((event) => {
        const email = emails?.get(event.userId);
        return `${JSON.stringify(email === undefined ? event : { ...event, email })}\n`;
      })
      .join('');
  return stringify(
    events.map((event) => csvRow(event, emails)),
    { header: first, columns: [...EXPORT_COLUMNS] },
  );
}
