import type { RequestHandler } from 'express';
import { JSON_LIMITS, TOO_DEEP } from '../../../shared/src/json/json-bounds.ts';
import type { Logger } from '../../../shared/src/logger/logger.ts';
import type { TargetStore } from '../store/target-store.ts';

/**
 * Bodies may carry a password; the journal keeps everything else. Headers are never recorded. A body
 * refused for nesting too deep is recorded down to the bound only.
 */
function redactPasswords(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= JSON_LIMITS.maxDepth) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => redactPasswords(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k.toLowerCase() === 'password' ? '[redacted]' : redactPasswords(v, depth + 1),
    ]),
  );
}

/** Keeps the journal bounded in bytes as well as in entries (SCIM bodies may be up to 1 MB). */
const BODY_LIMIT = 64 * 1024;

function journalBody(body: unknown): unknown {
  if (body === undefined) return null;
  const redacted = redactPasswords(body);
  const size = JSON.stringify(redacted).length;
  return size > BODY_LIMIT ? { truncated: true, bytes: size } : redacted;
}

/** Records each SCIM request of a known org (method, path, body, status, time) once it is answered, even when its caller left. */
export function journal(store: TargetStore, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const orgId = String(req.params.orgId);
    const at = new Date().toISOString();
    const base = `/scim/v2/${orgId}`;
    const path = req.originalUrl.startsWith(base)
      ? req.originalUrl.slice(base.length) || '/'
      : req.originalUrl;
    let recorded = false;
    const record = (callerGone: boolean) => {
      if (recorded) return;
      recorded = true;
      // Runs in a response event, outside Express's error handling: a throw here would end the process.
      try {
        const entry = { at, method: req.method, path, body: journalBody(req.body), status: res.statusCode };
        store
          .appendJournal(orgId, callerGone ? { ...entry, callerGone: true } : entry)
          .catch((err: unknown) => logger.warn({ err, orgId }, 'could not record a SCIM request'));
      } catch (err) {
        logger.error({ err, orgId }, 'could not record a SCIM request');
      }
    };
    res.once('finish', () => record(false));
    res.once('close', () => {
      if (res.writableFinished) return record(false);
      // The caller left before the answer: the handler still runs, so record it once its answer is decided.
      const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
      res.end = ((...args: unknown[]) => {
        record(true);
        return end(...args);
      }) as typeof res.end;
    });
    next();
  };
}
