// Small helpers for plain-words messages: how to show a value, how to describe what a schema expects,
// and which known key a typo was meant to be.
import type { JsonSchema } from './schemas/index.js';

/** Shows a value from an input file briefly; URL credentials are masked and long strings cut. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value !== 'string') return String(value);
  const masked = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
  const cut = masked.length > 60 ? `${masked.slice(0, 57)}...` : masked;
  return JSON.stringify(cut);
}

/** Values of `*Env` fields are never echoed: a misplaced secret is the likeliest reason they are wrong. */
export function isSensitiveField(pointer: string): boolean {
  const last = pointer.slice(pointer.lastIndexOf('/') + 1);
  return /Env$/.test(last);
}

function range(schema: JsonSchema): string {
  const { minimum: min, maximum: max, exclusiveMinimum: above } = schema as Record<string, number | undefined>;
  if (min !== undefined && max !== undefined) return ` ${min}..${max}`;
  if (above !== undefined && max !== undefined) return ` above ${above}, up to ${max}`;
  if (above !== undefined) return ` above ${above}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

/** "a number 0..100", "a whole number 1..100 or null", "an http or https URL", "true or false". */
export function expected(schema: JsonSchema): string {
  const types = [schema.type].flat().filter((t): t is string => typeof t === 'string');
  const orNull = types.includes('null') ? ' or null' : '';
  const main = types.find((t) => t !== 'null');
  switch (main) {
    case 'integer':
      return `a whole number${range(schema)}${orNull}`;
    case 'number':
      return `a number${range(schema)}${orNull}`;
    case 'string':
      return `${typeof schema.description === 'string' ? schema.description : 'a string'}${orNull}`;
    case 'boolean':
      return `true or false${orNull}`;
    case 'array':
      return `a list${orNull}`;
    case 'object':
      return `an object (keys and values)${orNull}`;
    default:
      return typeof schema.description === 'string' ? schema.description : 'a different value';
  }
}

/** Edit distance where swapping two neighbours costs 1 ("weigth" is one step from "weight"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known key a typo most likely meant, if one is close enough to be a fair guess. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const exactCase = known.find((k) => k.toLowerCase() === lower);
  if (exactCase) return exactCase;
  const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { key: k, d };
  }
  return best?.key;
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
