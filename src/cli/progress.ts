// Progress for people and for CI logs: one redrawn line on a terminal, plain timestamped lines elsewhere.
// Always on stderr, so stdout stays the report. Once a run has said how long it may take at worst, every line
// counts down to it (on a terminal, the line is redrawn each second as the time runs down).
import type { Io } from './io.js';

export interface Progress {
  (message: string): void;
  /**
   * The run may take up to `worstCaseMs` from now: count down to it (the latest such moment, if told twice).
   * `redraw: false` keeps the line still between messages (a person may be answering a prompt on this terminal).
   */
  countDownTo(worstCaseMs: number, options?: { redraw?: boolean }): void;
  done(): void;
  /**
   * Keeps progress off the screen while a person answers a prompt (a redrawn line would land on the question);
   * returns the release, after which the latest message is shown.
   */
  hold(): () => void;
}

export function createProgress(io: Io, options: { quiet?: boolean; tty?: boolean; now?: () => number }): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const tty = options.tty ?? io.stdoutIsTTY;
  let drawn = false;
  let holds = 0;
  let pending: string | undefined;
  let last: string | undefined;
  let deadline: number | undefined;
  let ticker: NodeJS.Timeout | undefined;

  const line = (message: string) => {
    const seconds = ((now() - started) / 1000).toFixed(1).padStart(5);
    return `${seconds}s ${message}${deadline === undefined ? '' : ` · ${timeLeft(deadline - now())}`}`;
  };
  const draw = (message: string) => {
    const width = Math.max(20, (process.stderr.columns ?? 100) - 1);
    io.err(`\r\x1b[K${line(message).slice(0, width)}`);
    drawn = true;
  };
  const show = (message: string) => {
    last = message;
    if (tty) draw(message);
    else io.err(`${line(message)}\n`);
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
  progress.countDownTo = (worstCaseMs, how = {}) => {
    deadline = Math.max(deadline ?? 0, now() + worstCaseMs);
    if (options.quiet || !tty || ticker || how.redraw === false) return;
    // The countdown redraws only while nobody is answering a prompt on this terminal.
    ticker = setInterval(() => holds === 0 && last !== undefined && draw(last), 1000);
    ticker.unref();
  };
  progress.done = () => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
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

/** "at most 41 s left", "at most 3 min left"; past the estimate, says so rather than counting below zero. */
export function timeLeft(ms: number): string {
  if (ms <= 0) return 'past the expected worst case';
  const s = Math.ceil(ms / 1000);
  return s < 90 ? `at most ${s} s left` : `at most ${Math.ceil(s / 60)} min left`;
}
