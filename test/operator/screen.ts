// A stand-in terminal for the real @inquirer prompts: what is typed goes in through `input`, what the prompts
// draw comes out through `output`. A test waits for text to appear before typing, as a person reads first.
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

export const KEYS = { enter: '\r', down: '\u001b[B', backspace: '\u007f' } as const;

export class Screen {
  readonly input = new PassThrough();
  readonly output: Writable;
  private text = '';
  private read = 0;
  private readonly waiters = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly patienceMs = 10_000) {
    this.output = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.text += chunk.toString();
        for (const wake of this.waiters) wake();
        done();
      },
    });
    // A prompt ends its output stream when it settles; the screen stays for the next one.
    this.output.end = (() => this.output) as Writable['end'];
  }

  /** Everything shown so far, without colours or cursor moves. */
  get shown(): string {
    return stripVTControlCharacters(this.text);
  }

  /** Resolves with what follows `wanted` once it appears after the last thing waited for. */
  waitFor(wanted: string | RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      const find = (): boolean => {
        const rest = this.shown.slice(this.read);
        const match = typeof wanted === 'string' ? (rest.includes(wanted) ? { index: rest.indexOf(wanted), 0: wanted } : null) : wanted.exec(rest);
        if (!match) return false;
        this.read += match.index + match[0].length;
        resolve(rest.slice(0, match.index + match[0].length));
        return true;
      };
      if (find()) return;
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        this.timers.delete(timer);
        reject(new Error(`the screen never showed ${String(wanted)}; it ends with:\n${this.shown.slice(-600)}`));
      }, this.patienceMs);
      this.timers.add(timer);
      const wake = () => {
        if (!find()) return;
        clearTimeout(timer);
        this.timers.delete(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }

  /** Stops waiting: pending waits never settle (the test has what it needs). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiters.clear();
  }

  /** Types once the prompt has drawn itself (on the next turn of the event loop). */
  async type(keys: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.input.write(keys);
  }
}
