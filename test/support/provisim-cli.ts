import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../cli/src/cli.ts';
import { startEmbeddedProvisim } from '../../launcher/embedded.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end (the `provisim` bin unless `command` says otherwise) and keeps what it
 * printed. stdout is a pipe, not a terminal, so the CLI prints plain progress lines.
 */
export function runCommand(
  args: readonly string[],
  options: { cwd?: string; command?: readonly string[]; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const [program, ...before] = options.command ?? [
    process.execPath,
    resolve(repoRoot, 'launcher/bin/provisim.js'),
  ];
  return new Promise((done, reject) => {
    const child = spawn(program as string, [...before, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The same command line run in this process (`runCli`, what the bin calls): for checks that need no process of their own. */
export async function runInProcess(args: string[]): Promise<CliRun> {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    return { stream, text: () => text };
  };
  const [stdout, stderr] = [capture(), capture()];
  const code = await runCli(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    startEmbedded: startEmbeddedProvisim,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
