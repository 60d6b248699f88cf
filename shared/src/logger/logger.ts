import { type DestinationStream, type Logger, pino } from 'pino';

/** Paths whose values never reach a log line, wherever they appear in the logged object. */
export const REDACTED_PATHS = [
  'authorization',
  'token',
  'scimBearerToken',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.scimBearerToken',
  '*.headers',
  'req.headers.authorization',
  'config.headers',
  'request.headers',
];

/** A pino logger with secrets redacted; lines go to stdout unless `destination` is given (the CLI keeps stdout for its report). */
export function createLogger(name: string, level = 'info', destination?: DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
