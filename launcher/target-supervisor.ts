import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { Config } from '../shared/src/config/env.ts';
import type { Logger } from '../shared/src/logger/logger.ts';
import { SupervisedChild } from '../shared/src/runtime/supervised-child.ts';

const TARGET_ENTRY = resolve(import.meta.dirname, '../scim-target/src/main.ts');
const RESTART_DELAY_MS = 500;
const READY_TIMEOUT_MS = 60_000;

export interface SupervisedTarget {
  /** The running target's pid (changes when it is restarted). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Runs the built-in target (`scim-target/src/main.ts`) as a child process on a fixed port and restarts it
 * whenever it dies, so a request that kills it never takes the API or the workers with it. The child
 * reports 'ready' over IPC once it listens, and exits by itself if this process goes away.
 */
export async function superviseTarget(options: {
  config: Config;
  redisUrl: string;
  adminToken: string;
  port: number;
  logger: Logger;
}): Promise<SupervisedTarget> {
  const { config, logger } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: options.redisUrl,
    PROVISIM_ADMIN_TOKEN: options.adminToken,
    PROVISIM_KEY_PREFIX: config.PROVISIM_KEY_PREFIX,
    PROVISIM_DATA_DIR: config.PROVISIM_DATA_DIR,
    HOST: config.HOST,
    TARGET_PORT: String(options.port),
    LOG_LEVEL: config.LOG_LEVEL,
  };
  const supervised = new SupervisedChild();

  const launch = (): Promise<void> =>
    new Promise((ready, failed) => {
      // fork() runs it with this process's execArgv, so under tsx the TypeScript loader comes along.
      const proc = fork(TARGET_ENTRY, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      supervised.child = proc;
      proc.once('message', (message: { type?: string }) => {
        if (message?.type !== 'ready') return;
        logger.info({ targetPid: proc.pid, port: options.port }, 'built-in target started');
        ready();
      });
      proc.once('exit', (code, signal) => {
        failed(new Error(`the built-in target exited before it was ready (code ${code}, signal ${signal})`));
        if (supervised.stopping) return;
        logger.error({ code, signal, targetPid: proc.pid }, 'built-in target exited; restarting it');
        supervised.relaunchIn(RESTART_DELAY_MS, () =>
          launch().catch((err) => logger.error({ err }, 'built-in target restart failed')),
        );
      });
    });

  const first = launch();
  const timer = setTimeout(() => supervised.child?.kill('SIGKILL'), READY_TIMEOUT_MS);
  try {
    await first;
  } catch (err) {
    await supervised.stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }

  return { pid: () => supervised.child?.pid, stop: () => supervised.stop() };
}
