import { Router } from 'express';
import type { Redis } from 'ioredis';
import { liveWorkers } from '../../../../shared/src/store/worker-heartbeat.ts';

/** `GET /api/health`: Redis answers and how many worker processes sent a heartbeat lately. */
export function createHealthRouter(redis: Redis, keyPrefix: string): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    try {
      await redis.ping();
      res.json({ status: 'ok', redis: 'ok', workers: await liveWorkers(redis, keyPrefix) });
    } catch {
      res.status(503).json({
        status: 'unavailable',
        redis: 'down',
        workers: null,
        error: {
          code: 'store_unavailable',
          message: 'Redis is not reachable.',
          details: { part: 'redis' },
        },
      });
    }
  });
  return router;
}
