import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface NodeChild {
  name: string;
  pid: number;
  running(): boolean;
  /** The tail of what the child printed (stdout and stderr). */
  output(): string;
  /** Resolves once a line of the child's output contains `text`; rejects if the child exits first or time runs out. */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnNodeOptions {
  name: string;
  /** Path of a .ts entry point, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

const repoRoot = resolve(import.meta.dirname, '..', '..');

/**
 * Runs a TypeScript entry point in ONE node process (tsx as a loader, not the tsx CLI, which would
 * fork a second process), so the pid we get is the process whose CPU and memory we measure.
 */
export function spawnNode(options: SpawnNodeOptions): NodeChild {
  const args = [...(options.nodeFlags ?? []), '--import', 'tsx', resolve(repoRoot, options.script)];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
  let output = '';
  const waiters = new Set<() => void>();
  const onChunk = (chunk: Buffer) => {
    // Keep only the tail: enough to match a readiness line and to show why a child died.
    output = (output + chunk.toString()).slice(-64_000);
    for (const check of waiters) check();
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  return {
    name: options.name,
    pid: child.pid,
    running: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    waitForOutput: (text, timeoutMs) =>
      new Promise<void>((resolveWait, reject) => {
        const finish = (err?: Error) => {
          waiters.delete(check);
          clearTimeout(timer);
          if (err) reject(err);
          else resolveWait();
        };
        const check = () => {
          if (output.includes(text)) finish();
        };
        const timer = setTimeout(
          () =>
            finish(new Error(`${options.name} did not print "${text}" within ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        );
        exited.then(() => finish(new Error(`${options.name} exited (code ${child.exitCode}):\n${output}`)));
        waiters.add(check);
        check();
      }),
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
  };
}
