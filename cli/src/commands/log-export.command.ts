import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ApiError } from '../../../shared/src/api-client/http.ts';
import type { LogFilter } from '../../../shared/src/types/log-types.ts';
import { type CliIo, EXIT, INSTANCE_FLAGS, parseFlags, UsageError } from '../cli-io.ts';
import { withInstance } from '../instance.ts';

export const LOG_EXPORT_USAGE = `provisim log export [--format ndjson|csv] [--out FILE] [--app ID] [--user ID]
                    [--action A] [--status S] [--since ISO] [--until ISO] [--api URL --admin-token T]`;

const OPTIONS = {
  format: { type: 'string', default: 'ndjson' },
  out: { type: 'string' },
  app: { type: 'string' },
  user: { type: 'string' },
  action: { type: 'string' },
  status: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  ...INSTANCE_FLAGS,
} as const;

/** The API's query field each flag fills, so its 400 (naming the field) can name the flag. */
const FLAG_OF: Record<string, string> = { appId: 'app', userId: 'user' };

/** `provisim log export`: streams the provisioning log (NDJSON or CSV) to a file or stdout. */
export async function logExportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  const format = values.format;
  if (format !== 'ndjson' && format !== 'csv')
    throw new UsageError(`--format: "${format}" is not one of ndjson, csv`);
  const filter = {
    appId: values.app,
    userId: values.user,
    action: values.action,
    status: values.status,
    since: values.since,
    until: values.until,
  } as LogFilter;
  return withInstance(values, io.startEmbedded, async ({ client }) => {
    let response: Response;
    try {
      response = await client.log.export(format, filter);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const field = /query\.(\w+)/.exec(error.message)?.[1] ?? '';
        throw new UsageError(`--${FLAG_OF[field] ?? (field || 'filter')}: ${error.message}`);
      }
      throw error;
    }
    const body = Readable.fromWeb(response.body as WebReadableStream);
    const sink = values.out ? createWriteStream(values.out) : passThroughTo(io.stdout);
    await pipeline(body, sink);
    return EXIT.passed;
  });
}

/** stdout as a pipeline's end that leaves stdout open. */
const passThroughTo = (stream: NodeJS.WritableStream) =>
  new Writable({
    write(chunk, _encoding, done) {
      stream.write(chunk, done);
    },
  });
