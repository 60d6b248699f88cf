import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, badRequest, payloadTooLarge, storeUnavailable } from '../errors/app-error.ts';
import { FieldError } from '../errors/field-error.ts';
import type { Logger } from '../logger/logger.ts';
import { JsonBoundsError } from './json-body.ts';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Errors ioredis raises while Redis is away (offline queue disabled, connection closed, retries
 * exhausted, a restarted Redis replaying its file), and while a cluster cannot serve a key's slot (a
 * master restarting or a slot moving: CLUSTERDOWN, TRYAGAIN, MASTERDOWN, or ioredis giving up on
 * its redirections or its slot map).
 */
const STORE_AWAY =
  /Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED|max retries per request|ETIMEDOUT|LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|Too many Cluster redirections|Failed to refresh slots cache/i;

export function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return STORE_AWAY.test(err.message) || err.name === 'MaxRetriesPerRequestError';
}

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof JsonBoundsError || err instanceof FieldError) return badRequest(err.field, err.problem);
  // Express's router marks a path it cannot percent-decode with status 400 but no type.
  if (err instanceof URIError)
    return badRequest(
      'path',
      'the URL is not validly percent-encoded (a % must be followed by two hex digits)',
    );
  const parserError = err as BodyParserError;
  if (parserError?.type === 'entity.too.large') return payloadTooLarge(`${parserError.limit ?? '?'} bytes`);
  if (parserError?.type === 'entity.parse.failed')
    return new AppError(400, 'invalid_json', 'body: the request body is not valid JSON.', { field: 'body' });
  if (parserError?.type && parserError.status && parserError.status < 500)
    return new AppError(parserError.status, 'invalid_body', `body: ${(err as Error).message}`, {
      field: 'body',
    });
  if (isStoreUnavailable(err)) return storeUnavailable();
  return undefined;
}

/** Renders every error in the contract's shape; anything unexpected is logged and becomes a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError) {
      res.status(appError.status).json(appError.toBody());
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json(new AppError(500, 'internal_error', 'An unexpected error occurred.').toBody());
  };
}

export const notFoundRoute: RequestHandler = (req, res) => {
  res.status(404).json(new AppError(404, 'route_not_found', `No route ${req.method} ${req.path}.`).toBody());
};
