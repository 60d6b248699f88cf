import { z } from 'zod';
import type { RedisClient } from '../../../../shared/src/redis/connection.ts';
import { liveWorkers } from '../../../../shared/src/store/worker-heartbeat.ts';
import { type Route, route } from '../route-table.ts';

const healthSchema = z.object({ status: z.string(), redis: z.string(), workers: z.number().nullable() });

/** `GET /api/health` (no token): RedisClient answers and how many worker processes sent a heartbeat lately. */
export function healthRoutes(redis: RedisClient, keyPrefix: string): Route[] {
  return [
    route({
      method: 'get',
      path: '/api/health',
      summary: 'Health of Redis and the worker processes',
      response: healthSchema,
      public: true,
      handler: async ({ res }) => {
        try {
          await redis.ping();
          return { status: 'ok', redis: 'ok', workers: await liveWorkers(redis, keyPrefix) };
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
      },
    }),
  ];
}
