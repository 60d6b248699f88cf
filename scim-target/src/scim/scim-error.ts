import type { ErrorRequestHandler, Response } from 'express';
import { isStoreUnavailable } from '../../../shared/src/http/error-handler.ts';
import { JsonBoundsError } from '../../../shared/src/http/json-body.ts';
import type { Logger } from '../../../shared/src/logger/logger.ts';

const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SCIM_CONTENT_TYPE = 'application/scim+json';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An RFC 7644 §3.12 error: rendered as {schemas, status (a string), scimType?, detail}. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): { schemas: string[]; status: string; scimType?: string; detail: string } {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

export const scimBadRequest = (scimType: ScimType, detail: string) => new ScimError(400, detail, scimType);
export const scimNotFound = (resource: string, id: string) =>
  new ScimError(404, `${resource} ${id} not found.`);

export function sendScim(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function toScimError(err: unknown): ScimError | undefined {
  if (err instanceof ScimError) return err;
  if (err instanceof JsonBoundsError) return scimBadRequest('invalidSyntax', err.message);
  if (err instanceof URIError)
    return scimBadRequest('invalidSyntax', 'The request URL is not validly percent-encoded.');
  const parserError = err as BodyParserError;
  if (parserError?.type === 'entity.too.large')
    return new ScimError(
      413,
      `The request body is larger than the limit of ${parserError.limit ?? '?'} bytes.`,
    );
  if (parserError?.type === 'entity.parse.failed')
    return scimBadRequest('invalidSyntax', 'The request body is not valid JSON.');
  if (parserError?.type && parserError.status && parserError.status < 500)
    return scimBadRequest('invalidSyntax', `The request body could not be read: ${(err as Error).message}`);
  if (isStoreUnavailable(err))
    return new ScimError(503, 'The service is temporarily unavailable; try again shortly.');
  return undefined;
}

/** Every error on the SCIM routes becomes an RFC 7644 error body; unexpected ones are logged and hidden. */
export function scimErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const scimError = toScimError(err);
    if (scimError) {
      res.set(scimError.headers);
      sendScim(res, scimError.status, scimError.toBody());
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled SCIM error');
    sendScim(res, 500, new ScimError(500, 'An unexpected error occurred.').toBody());
  };
}
