// Progress for people and for CI logs: one redrawn line on a terminal, plain timestamped lines elsewhere.
// Always on stderr, so stdout stays the report.
import type { Io } from './io.js';

export interface Progress {
  (message: string): void;
  done(): void;
  /**
   * Keeps progress off the screen while a person answers a prompt (a redrawn line would land on the question);
   * returns the release, after which the latest message is shown.
   */
  hold(): () => void;
}

export function createProgress(io: Io, options: { quiet?: boolean; tty?: boolean }): Progress {
  const started = Date.now();
  const tty = options.tty ?? io.stdoutIsTTY;
  let drawn = false;
  let holds = 0;
  let pending: string | undefined;
  const show = (message: string) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    if (tty) {
      const width = Math.max(20, (process.stderr.columns ?? 100) - 1);
      io.err(`\r\x1b[K${`${seconds}s ${message}`.slice(0, width)}`);
      drawn = true;
    } else {
      io.err(`${seconds}s ${message}\n`);
    }
  };
  const clear = () => {
    if (drawn) io.err('\r\x1b[K');
    drawn = false;
  };
  const progress = ((message: string) => {
    if (options.quiet) return;
    if (holds > 0) pending = message;
    else show(message);
  }) as Progress;
  progress.done = () => {
    pending = undefined;
    clear();
  };
  progress.hold = () => {
    if (holds++ === 0) clear();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--holds === 0 && pending !== undefined) {
        const message = pending;
        pending = undefined;
        show(message);
      }
    };
  };
  return progress;
}
