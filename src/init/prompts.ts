// The few kinds of question the wizard asks, bound to one terminal. @inquirer/prompts is imported here, only
// when `init` runs; tests pass their own input and output streams and type into them.
import { numberRule, type NumberBounds, type Rule } from './rules.js';

/** Where the questions are asked: the process's terminal by default, or streams a test drives. */
export interface PromptContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
  checked?: boolean;
}

export interface Ask {
  /** Free text, trimmed; an empty answer takes the default. */
  text(message: string, options?: { default?: string; validate?: Rule }): Promise<string>;
  number(message: string, options: NumberBounds & { default?: number }): Promise<number>;
  /** A number that may be left out: an empty answer gives undefined. */
  optionalNumber(message: string, options: NumberBounds): Promise<number | undefined>;
  confirm(message: string, fallback: boolean): Promise<boolean>;
  choose<T>(message: string, choices: Array<Choice<T>>, fallback?: T): Promise<T>;
  chooseMany<T>(message: string, choices: Array<Choice<T>>): Promise<T[]>;
  /** Type to filter a long list; `source` answers each search term. */
  search<T>(message: string, source: (term: string) => Array<Choice<T>>): Promise<T>;
  /** A line between questions (a section heading, a hint). */
  say(text: string): void;
}

export async function terminalAsk(context: PromptContext = {}): Promise<Ask> {
  const prompts = await import('@inquirer/prompts');
  const output = context.output ?? process.stdout;
  const ctx = { input: context.input, output: context.output, signal: context.signal, clearPromptOnDone: false };
  return {
    async text(message, options = {}) {
      const rule = options.validate;
      const answer = await prompts.input(
        { message, default: options.default, validate: rule ? (value: string) => rule(value) : undefined },
        ctx,
      );
      return answer.trim();
    },
    // Bounds are checked by our own rule, so the message reads "from 0 to 100" or "0 or more", never "Infinity".
    async number(message, options) {
      const rule = numberRule(options);
      const answer = await prompts.number({ message, default: options.default, step: 'any', required: true, validate: (n) => (n === undefined ? true : rule(n)) }, ctx);
      return answer as number;
    },
    optionalNumber(message, options) {
      const rule = numberRule(options);
      return prompts.number({ message, step: 'any', required: false, validate: (n) => (n === undefined ? true : rule(n)) }, ctx);
    },
    confirm(message, fallback) {
      return prompts.confirm({ message, default: fallback }, ctx);
    },
    choose(message, choices, fallback) {
      return prompts.select({ message, choices, default: fallback, pageSize: 10 }, ctx);
    },
    chooseMany(message, choices) {
      return prompts.checkbox({ message, choices }, ctx);
    },
    search(message, source) {
      return prompts.search({ message, source: (term) => source(term ?? ''), pageSize: 8 }, ctx);
    },
    say(text) {
      output.write(`${text}\n`);
    },
  };
}
