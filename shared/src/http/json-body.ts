import express, { type RequestHandler } from 'express';
import { findJsonBoundViolation } from '../json/json-bounds.ts';

/** A parsed body that passes a bound of JSON_LIMITS; `field` is its dotted path from `body`. */
export class JsonBoundsError extends Error {
  readonly status = 400;
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'JsonBoundsError';
  }
}

const checkBounds: RequestHandler = (req, _res, next) => {
  const violation = findJsonBoundViolation(req.body);
  if (!violation) return next();
  next(new JsonBoundsError(violation.path ? `body.${violation.path}` : 'body', violation.problem));
};

/**
 * express.json, then the depth and string-length bounds (JSON_LIMITS) checked without recursion, so
 * that no handler, redaction or log line ever walks a body nested deeper than the bound.
 */
export const jsonBody = (options: Parameters<typeof express.json>[0]): RequestHandler[] => [
  express.json(options),
  checkBounds,
];
