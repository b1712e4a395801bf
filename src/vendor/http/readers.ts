// Reading a vendor's answers with the mapping's JSONata expressions (jsonata is loaded on first use), and turning
// what they give into the shapes the channel hands on: slots, a booking's state, ids. A reader that fails, or
// gives the wrong shape, is a ProbeError naming the mapping field: the finding becomes `error`, never a crash.
import { ProbeError } from '../../http/types.js';
import type { JsonAnswer } from '../../http/json-client.js';

type Jsonata = typeof import('jsonata');
type Expression = import('jsonata').Expression;
let loading: Promise<Jsonata> | undefined;
const load = (): Promise<Jsonata> => (loading ??= import('jsonata').then((m) => m.default as unknown as Jsonata));

/** A hostile answer must not keep an expression busy for long. */
const EVALUATION_BUDGET_MS = 2_000;

export class AnswerReaders {
  private readonly compiled = new Map<string, Expression>();

  constructor(private readonly mappingFile: string) {}

  /** What `expression` (the mapping's `field`) gives for this answer; undefined for no match. */
  async read(field: string, expression: string, answer: Pick<JsonAnswer, 'body' | 'status' | 'headers'>): Promise<unknown> {
    const jsonata = await load();
    let compiled = this.compiled.get(expression);
    try {
      if (!compiled) {
        compiled = jsonata(expression);
        this.compiled.set(expression, compiled);
      }
      const evaluation = compiled.evaluate(answer.body ?? null, { status: answer.status, headers: answer.headers });
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`took longer than ${EVALUATION_BUDGET_MS} ms`)), EVALUATION_BUDGET_MS);
      });
      try {
        return plain(await Promise.race([evaluation, budget]));
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      throw this.problem(field, `could not be read: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** A ProbeError naming the mapping's field, for an answer its reader cannot make sense of. */
  problem(field: string, what: string, status?: number): ProbeError {
    return new ProbeError('http', `the vendor's answer ${what} (read by ${this.mappingFile} ${field})`, status === undefined ? {} : { status });
  }
}

/** JSONata's results carry a `sequence` flag and may be frozen: copied into plain JSON values. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** A reader's result as a list (JSONata gives a lone item where a list has one). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export type BookingState = 'pending' | 'complete' | 'failed';
const STATES = new Set<BookingState>(['pending', 'complete', 'failed']);

export function asState(value: unknown): BookingState | undefined {
  return typeof value === 'string' && STATES.has(value as BookingState) ? (value as BookingState) : undefined;
}
