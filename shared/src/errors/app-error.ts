import type { ConflictCode, ErrorCode } from './error-codes.ts';

/** The contract's error: rendered as {"error": {code, message, details}} by the API's error handler. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const badRequest = (field: string, message: string, details?: unknown) =>
  new AppError(400, 'invalid_input', `${field}: ${message}`, {
    field,
    ...(details === undefined ? {} : { details }),
  });
export const unauthorized = () =>
  new AppError(401, 'unauthorized', 'A valid admin token is required (Authorization: Bearer <token>).');
export const notFound = (what: string, id: string) =>
  new AppError(404, 'not_found', `${what} ${id} does not exist.`, { resource: what, id });
export const conflict = (code: ConflictCode, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const payloadTooLarge = (limit: string) =>
  new AppError(413, 'payload_too_large', `The request body is larger than the limit of ${limit}.`);
export const targetRefused = (message: string, details?: unknown) =>
  new AppError(422, 'target_refused', message, details);
export const targetUnreachable = (message: string, details?: unknown) =>
  new AppError(502, 'target_unreachable', message, details);
export const targetTimeout = (message: string, details?: unknown) =>
  new AppError(504, 'target_timeout', message, details);
export const storeUnavailable = () =>
  new AppError(503, 'store_unavailable', 'Redis is not reachable; try again shortly.', { part: 'redis' });
