// A terminal for the real @inquirer prompts: keystrokes go in through `input`, the rendered screen comes out
// of `output`. Answers are typed only once the screen shows the question, as a person would.
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

export const KEY = { enter: '\r', up: '\u001b[A', down: '\u001b[B', space: ' ', backspace: '\u007f', ctrlC: '\u0003' } as const;

export class Terminal {
  readonly input = new PassThrough();
  readonly output: Writable;
  private raw = '';
  /** How far into the screen text the questions already answered reach. */
  private cursor = 0;
  private listeners = new Set<() => void>();

  constructor(private readonly timeoutMs = 10_000) {
    this.output = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.raw += chunk.toString();
        this.listeners.forEach((listener) => listener());
        done();
      },
    });
    // Each prompt ends the stream it writes to when it settles; a terminal outlives its prompts.
    this.output.end = (() => this.output) as Writable['end'];
  }

  /** The screen so far, without colours and cursor moves. */
  get screen(): string {
    return stripVTControlCharacters(this.raw);
  }

  /** Waits until `text` shows after what was already answered; what follows it becomes the new start. */
  waitFor(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const at = this.screen.indexOf(text, this.cursor);
        if (at === -1) return false;
        this.cursor = at + text.length;
        return true;
      };
      if (look()) return resolve();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`the screen never showed ${JSON.stringify(text)}; it ends with:\n${this.screen.slice(-800)}`));
      }, this.timeoutMs);
      const listener = () => {
        if (!look()) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  /** Types once the screen shows `shown`, after the prompt has settled what it was doing. */
  async type(shown: string, keys: string): Promise<void> {
    await this.waitFor(shown);
    await new Promise((resolve) => setImmediate(resolve));
    this.input.write(keys);
  }

  /** Answers the question whose active line starts with `? question`. */
  answer(question: string, keys: string): Promise<void> {
    return this.type(`? ${question}`, keys);
  }
}
