import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freeLoopbackPort } from '../../shared/src/redis/embedded-redis.ts';
import type { TestStack } from './stack.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  readonly label: string;
  readonly pid: number;
  /** Everything the process wrote so far, stdout then stderr interleaved as received. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  /** Sends `signal` to the process and every child it started (its process group), as a power cut would. */
  killGroup(signal?: NodeJS.Signals): Promise<Exit>;
  readonly exited: Promise<Exit>;
}

const running = new Set<ChildHandle>();

/** Environment for a child: ours, with `env` on top; an `undefined` value removes the variable. */
export type ChildEnv = Record<string, string | undefined>;

/**
 * Runs a TypeScript entry point in its own Node process, loading tsx as an import hook so the
 * pid is the program itself (the tsx CLI wrapper would swallow a SIGKILL meant for it). The child
 * leads its own process group, so that it can be killed together with what it started (redis-server).
 */
export function spawnTs(entry: string, env: ChildEnv, label = entry): ChildHandle {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, entry)], {
    cwd: repoRoot,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`${label}: could not spawn ${entry}`);
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));

  const handle: ChildHandle = {
    label,
    pid: child.pid,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (!match) return;
          finish();
          resolveMatch(match);
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${label}: no ${pattern} within ${timeoutMs} ms; output:\n${text.slice(-4000)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        exited.then((exit) => {
          if (!listeners.has(check)) return;
          finish();
          reject(
            new Error(
              `${label}: exited (${JSON.stringify(exit)}) before ${pattern}; output:\n${text.slice(-4000)}`,
            ),
          );
        });
        check();
      }),
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    killGroup: async (signal = 'SIGKILL') => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // the group is gone already
      }
      return exited;
    },
  };
  running.add(handle);
  exited.then(() => running.delete(handle));
  return handle;
}

/** SIGKILLs every child this test file started and has not stopped, with what they started (for afterAll). */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.killGroup('SIGKILL')));
}

async function waitForHttp(url: string, child: ChildHandle, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline && !exited) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(
    `${child.label}: ${url} did not answer (${exited ? 'exited' : 'timed out'}); output:\n${child.output()}`,
  );
}

export interface ServerProcess extends ChildHandle {
  apiUrl: string;
  targetUrl: string;
}

/** `tsx launcher/start.ts` (what `npm start` runs) on free ports; ready once /api/health answers. */
export async function startServerProcess(env: ChildEnv): Promise<ServerProcess> {
  const [port, targetPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const child = spawnTs(
    'launcher/start.ts',
    { HOST: '127.0.0.1', PORT: String(port), TARGET_PORT: String(targetPort), ...env },
    'server',
  );
  const apiUrl = `http://127.0.0.1:${env.PORT ?? port}`;
  await waitForHttp(`${apiUrl}/api/health`, child, 60_000);
  return Object.assign(child, { apiUrl, targetUrl: `http://127.0.0.1:${env.TARGET_PORT ?? targetPort}` });
}

/** `tsx worker/src/main.ts` (what `npm run worker` runs); ready once it logs so (LOG_LEVEL info or lower). */
export async function startWorkerProcess(
  env: Record<string, string>,
  label = 'worker',
): Promise<ChildHandle> {
  const child = spawnTs('worker/src/main.ts', env, label);
  await child.waitFor(/worker process ready/, 60_000);
  return child;
}

/** A worker process joining a test stack: its Redis and key prefix, logging at info (so it says it is ready). */
export const startStackWorker = (
  stack: Pick<TestStack, 'redisUrl' | 'keyPrefix'>,
  label: string,
  env: Record<string, string> = {},
): Promise<ChildHandle> =>
  startWorkerProcess(
    { REDIS_URL: stack.redisUrl, PROVISIM_KEY_PREFIX: stack.keyPrefix, LOG_LEVEL: 'info', ...env },
    label,
  );

export interface TargetProcess extends ChildHandle {
  url: string;
}

/** `tsx scim-target/src/main.ts` (the built-in target alone) on a free port; ready once it answers HTTP. */
export async function startTargetProcess(env: ChildEnv): Promise<TargetProcess> {
  const port = await freeLoopbackPort();
  const child = spawnTs(
    'scim-target/src/main.ts',
    { HOST: '127.0.0.1', TARGET_PORT: String(port), ...env },
    'target',
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/target-api/orgs`, child, 60_000);
  return Object.assign(child, { url });
}
