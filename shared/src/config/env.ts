import { z } from 'zod';
import { isRedisUrl } from '../redis/connection.ts';
import { CPU_SCHEDULINGS } from '../runtime/cpu-scheduling.ts';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting provisim reads from the environment; nothing outside this file reads process.env. */
export const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** One Redis (`redis://`, `rediss://`) or a Redis Cluster by some of its nodes (`redis+cluster://h:p,h:p`). */
  REDIS_URL: z
    .string()
    .refine(isRedisUrl, 'must be redis://, rediss:// or redis+cluster://host:port[,host:port...]')
    .optional(),
  PROVISIM_DATA_DIR: z.string().min(1).default('./data'),
  PROVISIM_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PROVISIM_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('provisim'),
  TARGET_PORT: port.default(3100),
  /** Start the built-in target inside `npm start`. */
  PROVISIM_START_TARGET: bool.default(true),
  /** BullMQ workers run inside the API process; 0 leaves pushing to `npm run worker` processes. */
  PROVISIM_IN_PROCESS_WORKERS: bool.default(true),
  /**
   * Jobs of one app one worker process runs at once (capped by the app's own concurrency, 16 by default):
   * half of it, so a second process (or `npm run worker` beside in-process workers) shares the app's slots.
   */
  PROVISIM_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(8),
  /**
   * How Linux schedules a worker process (`npm run worker`): `idle` (SCHED_IDLE) runs pushes on the CPU
   * every other process leaves, so a SCIM server on the same machine is never kept waiting by them;
   * `normal` shares the CPU as any process does. In-process workers share the API's process and its class.
   */
  PROVISIM_WORKER_SCHEDULING: z.enum(CPU_SCHEDULINGS).default('idle'),
  PROVISIM_SCIM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * Attempts of a push on network errors, timeouts and 5xx (429s have their own budget). Against a target
   * failing 30% of requests at random, two requests an attempt, 20 attempts all fail once in 700,000 pushes.
   */
  PROVISIM_PUSH_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(20),
  PROVISIM_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(1000),
  /** Most a push waits in total on a target's 429 answers, which spend no attempts (then they do). */
  PROVISIM_RATE_LIMIT_MAX_WAIT_MS: z.coerce.number().int().min(0).max(86_400_000).default(900_000),
  /** Comma-separated host patterns (`*.example.com`, `127.0.0.1`); unset allows any host. */
  PROVISIM_TARGET_ALLOWLIST: z.string().optional(),
  /** SCIM requests to link-local (169.254.169.254), cloud metadata and unspecified addresses are refused unless true. */
  PROVISIM_ALLOW_LINK_LOCAL_TARGETS: bool.default(false),
  /** Embedded Redis fsync policy: `everysec` loses at most about a second on a crash, `always` nothing acknowledged. */
  PROVISIM_REDIS_APPENDFSYNC: z.enum(['always', 'everysec', 'no']).default('everysec'),
  /** At ~800 bytes of Redis per event, 750,000 events are about 600 MB: a default install stays under 1 GB. */
  PROVISIM_LOG_RETENTION_COUNT: z.coerce.number().int().min(1).default(750_000),
  PROVISIM_LOG_RETENTION_DAYS: z.coerce.number().min(0.0001).default(90),
  PROVISIM_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

export class ConfigError extends Error {}

/** The variables undici's EnvHttpProxyAgent takes a proxy from (NO_PROXY then exempts hosts). */
const PROXY_VARIABLE = /^https?_proxy$/i;

/** Whether the environment names a proxy for the SCIM client; when none does, its pool connects directly. */
export const proxyConfigured = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Object.entries(env).some(([name, value]) => value && PROXY_VARIABLE.test(name));

/** Parses the environment once; a bad value throws a ConfigError naming each variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means unset, as shells and .env files commonly write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
