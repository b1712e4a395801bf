// Turns ajv's errors into one plain-words InputProblem per real problem: what is wrong, where, and what is
// expected. ajv's combinator noise ("must match a schema in anyOf", "must match \"then\" schema") is dropped:
// the errors of the branch that applied already say what is wrong.
import type { ErrorObject } from 'ajv';
import type { InputProblem } from '../errors.js';
import type { JsonSchema } from './schemas/index.js';
import { closest, expected, isSensitiveField, pointer, show } from './wording.js';

const NOISE = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not', 'then', 'else']);

type Translation = { field: string; message: string } | undefined;

function branchTypes(union: JsonSchema, tag: string): string[] {
  const branches = (union.oneOf ?? []) as JsonSchema[];
  return branches.map((b) => String(((b.properties as Record<string, JsonSchema>)?.[tag] ?? {}).const));
}

function describeRequired(parent: JsonSchema, missing: string): string {
  const title = typeof parent.title === 'string' ? parent.title : undefined;
  const property = (parent.properties as Record<string, JsonSchema> | undefined)?.[missing];
  const head = title ? `${title} needs ${missing}` : `missing required key "${missing}"`;
  return typeof property?.description === 'string' ? `${head} (${property.description})` : head;
}

function describeUnknown(parent: JsonSchema, key: string): string {
  const known = Object.keys((parent.properties as Record<string, unknown> | undefined) ?? {});
  const guess = closest(key, known);
  if (guess) return `unknown key "${key}" — did you mean "${guess}"?`;
  return known.length ? `unknown key "${key}" (known keys here: ${known.join(', ')})` : `unknown key "${key}"`;
}

function got(field: string, value: unknown): string {
  return isSensitiveField(field) ? ' (the value is not shown)' : `, got ${show(value)}`;
}

function translate(e: ErrorObject): Translation {
  const at = e.instancePath;
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  switch (e.keyword) {
    case 'required':
      return { field: at, message: describeRequired(parent, String(e.params.missingProperty)) };
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      return { field: at + pointer(key), message: describeUnknown(parent, key) };
    }
    case 'discriminator': {
      const tag = String(e.params.tag);
      const options = branchTypes(parent, tag).join(', ');
      const value = (e.data as Record<string, unknown> | undefined)?.[tag];
      if (value === undefined) return { field: at, message: `needs ${tag}: one of ${options}` };
      return { field: at + pointer(tag), message: `must be one of: ${options}${got(at, value)}` };
    }
    case 'enum':
      return { field: at, message: `must be one of: ${(e.schema as unknown[]).join(', ')}${got(at, e.data)}` };
    case 'const':
      return { field: at, message: `expected ${JSON.stringify(e.schema)}${got(at, e.data)}` };
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'pattern':
    case 'format':
    case 'maxLength':
      return { field: at, message: `expected ${expected(parent)}${got(at, e.data)}` };
    case 'minLength':
      return { field: at, message: e.params.limit === 1 ? 'must not be empty' : `expected ${expected(parent)}${got(at, e.data)}` };
    case 'minItems':
      return { field: at, message: `must list at least ${e.params.limit} ${e.params.limit === 1 ? 'entry' : 'entries'}, got ${show(e.data)}` };
    case 'uniqueItems': {
      const items = e.data as unknown[];
      return { field: at, message: `lists ${show(items[e.params.j as number])} twice` };
    }
    default:
      return NOISE.has(e.keyword) ? undefined : { field: at, message: e.message ?? `fails ${e.keyword}` };
  }
}

/**
 * One problem per real error, in document order of appearance, without duplicates. `ignore` drops problems
 * another pass already reported better (e.g. a secret key, which is also an unknown key).
 */
export function toProblems(errors: readonly ErrorObject[], file: string, ignore: (field: string) => boolean = () => false): InputProblem[] {
  const seen = new Set<string>();
  const problems: InputProblem[] = [];
  for (const error of errors) {
    const t = translate(error);
    if (!t || ignore(t.field)) continue;
    const key = `${t.field}\u0000${t.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ file, field: t.field, message: t.message });
  }
  return problems;
}
