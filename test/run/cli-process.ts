// The built CLI as a child process a test can watch and signal: wait for a progress line on stderr, then send
// SIGINT or SIGKILL, then collect how it ended. Every wait is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, type CliResult } from '../helpers/cli.js';

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches `pattern`; rejects after `timeoutMs` or if the process ends first. */
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<CliResult>;
}

export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of watchers) w();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      for (const w of watchers) w();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let ended = false;
  void exited.then(() => (ended = true));

  const waitForStderr = (pattern: RegExp, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stderr)) return finish(resolve);
        if (ended) return finish(() => reject(new Error(`the CLI ended before stderr matched ${pattern}:\n${stderr}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`stderr did not match ${pattern} within ${timeoutMs} ms:\n${stderr}`))), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        watchers.delete(check);
        then();
      };
      watchers.add(check);
      check();
    });

  return { child, stdout: () => stdout, stderr: () => stderr, waitForStderr, exited };
}

/** Re-reads `read` until `done` holds, at most `timeoutMs`; returns whether it held. */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 50): Promise<{ value: T; ok: boolean }> {
  const began = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return { value, ok: true };
    if (Date.now() - began >= timeoutMs) return { value, ok: false };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
