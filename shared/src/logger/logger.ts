import { type Logger, pino } from 'pino';

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

export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export type { Logger };
