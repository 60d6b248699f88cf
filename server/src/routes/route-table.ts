import { type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import { parseInput } from '../../../shared/src/http/validate.ts';

/** What the OpenAPI document says of one operation (server/src/openapi/openapi.ts renders it). */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As OpenAPI writes it: `/api/users/{userId}`. */
  path: string;
  summary: string;
  /** 200 unless said; a 204 answers no body. */
  status?: number;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out, and then reads as `{}`. */
  bodyOptional?: boolean;
  response?: z.ZodType;
  /** Served without the admin token. */
  public?: boolean;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** One route, declared once: its operation, the schemas its inputs are parsed with, and its handler. */
export interface RouteSpec<
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
> extends Omit<Operation, 'query' | 'body'> {
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Called with the parsed inputs (each a 400 naming the field when it does not parse); what it answers
   * is sent as JSON with `status`. A handler that writes the response itself (a stream) answers nothing.
   */
  handler(input: {
    params: Parsed<P>;
    query: Parsed<Q>;
    body: Parsed<B>;
    req: Request;
    res: Response;
  }): unknown;
}

export type Route = RouteSpec<z.ZodObject | undefined, z.ZodObject | undefined, z.ZodType | undefined>;

/** A route table entry, its handler's inputs typed from its schemas. */
export const route = <
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B>,
): Route => spec as unknown as Route;

/** The express router serving `routes`, whose paths all start with `prefix` (where the router is mounted). */
export function routerOf(prefix: string, routes: readonly Route[]): Router {
  const router = Router();
  for (const spec of routes) {
    if (!spec.path.startsWith(prefix)) throw new Error(`${spec.path} is not under ${prefix}`);
    const path = spec.path.slice(prefix.length).replace(/\{(\w+)\}/g, ':$1') || '/';
    router[spec.method](path, async (req, res) => {
      const input = {
        params: spec.params ? parseInput(spec.params, req.params, 'params') : undefined,
        query: spec.query ? parseInput(spec.query, req.query, 'query') : undefined,
        body: spec.body
          ? parseInput(spec.body, spec.bodyOptional ? (req.body ?? {}) : req.body, 'body')
          : undefined,
      };
      const answer = await spec.handler({ ...input, req, res });
      if (res.headersSent) return;
      if (spec.status === 204) res.status(204).end();
      else res.status(spec.status ?? 200).json(answer);
    });
  }
  return router;
}

/** A route's operation, as the OpenAPI document takes it. */
export const operationOf = ({ handler: _handler, params: _params, ...operation }: Route): Operation =>
  operation;
