// Progress for people and for CI logs: one redrawn line on a terminal, plain timestamped lines elsewhere.
// Always on stderr, so stdout stays the report.
import type { Io } from './io.js';

export interface Progress {
  (message: string): void;
  done(): void;
}

export function createProgress(io: Io, options: { quiet?: boolean; tty?: boolean }): Progress {
  const started = Date.now();
  const tty = options.tty ?? io.stdoutIsTTY;
  let drawn = false;
  const progress = ((message: string) => {
    if (options.quiet) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    if (tty) {
      const width = Math.max(20, (process.stderr.columns ?? 100) - 1);
      io.err(`\r\x1b[K${`${seconds}s ${message}`.slice(0, width)}`);
      drawn = true;
    } else {
      io.err(`${seconds}s ${message}\n`);
    }
  }) as Progress;
  progress.done = () => {
    if (drawn) io.err('\r\x1b[K');
    drawn = false;
  };
  return progress;
}
