import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './env.ts';

/** The admin token: PROVISIM_ADMIN_TOKEN, else the one generated on first start and kept in the data folder. */
export function resolveAdminToken(config: Config): { token: string; generated: boolean } {
  if (config.PROVISIM_ADMIN_TOKEN) return { token: config.PROVISIM_ADMIN_TOKEN, generated: false };
  const file = join(config.PROVISIM_DATA_DIR, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(config.PROVISIM_DATA_DIR, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}
