import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { unauthorized } from '../errors/app-error.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when `presented` equals `expected`, compared in constant time whatever their lengths. */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** Requires `Authorization: Bearer <admin token>`; answers the contract's 401 otherwise. */
export function requireAdminToken(adminToken: string): RequestHandler {
  return (req, _res, next) => {
    const presented = bearerToken(req.headers.authorization);
    next(presented && tokensMatch(presented, adminToken) ? undefined : unauthorized());
  };
}
