// `{{slot.id}}`-style templating for operator scripts, and the same facts as `EHRC_*` environment variables for
// a step's shell command. Pure: the caller hands in the step and the environment.
import { VENDOR_STEP_KINDS, type OperatorStep, type StepKind } from './types.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

const VENDOR: readonly StepKind[] = VENDOR_STEP_KINDS;
/** Every step variable, and the step kinds that carry it (`env.NAME` is separate). */
const FIELDS: Record<string, readonly StepKind[] | 'all'> = {
  step: 'all',
  connection: 'all',
  'run.id': 'all',
  schedule: 'all',
  'schedule.id': 'all',
  'slot.id': ['block-slot', 'free-slot', 'book-slot', 'cancel', 'count-bookings', 'vendor-book'],
  'slot.start': ['block-slot', 'free-slot', 'book-slot', 'cancel', 'count-bookings', 'vendor-book'],
  'slot.end': ['block-slot', 'free-slot', 'book-slot', 'cancel', 'count-bookings', 'vendor-book'],
  patient: ['book-slot', 'cancel', 'count-bookings'],
  'patient.id': ['book-slot', 'cancel', 'count-bookings'],
  key: ['book-slot'],
  'appointment.id': ['cancel'],
  'window.start': ['read-free-slots', 'vendor-read-free-slots'],
  'window.end': ['read-free-slots', 'vendor-read-free-slots'],
  // At the vendor's product: where, whom, for which test patient, and the request in words.
  'vendor.type': VENDOR,
  'vendor.address': VENDOR,
  practitioner: VENDOR,
  'person.name': ['vendor-book', 'vendor-register-patient'],
  'person.birthDate': ['vendor-book', 'vendor-register-patient'],
  utcOffset: VENDOR,
  request: VENDOR,
};

/** Facts that are whole URLs or plan text, filled into a URL as they are (like `env.NAME`), not percent-encoded. */
const VERBATIM_IN_URL = new Set(['vendor.address']);

export const TEMPLATE_FIELDS = Object.keys(FIELDS);

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** The placeholder names a text uses, in order of appearance. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** What is wrong with a placeholder for steps of `kind`, or undefined when it is fine. */
export function placeholderProblem(name: string, kind: StepKind, env: NodeJS.ProcessEnv): string | undefined {
  if (name.startsWith('env.')) {
    const variable = name.slice(4);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) return `{{${name}}}: not an environment variable name`;
    return env[variable] === undefined ? `{{${name}}}: environment variable ${variable} is not set` : undefined;
  }
  const kinds = FIELDS[name];
  if (kinds === undefined) return `{{${name}}}: unknown placeholder (known: ${TEMPLATE_FIELDS.join(', ')}, env.NAME)`;
  if (kinds !== 'all' && !kinds.includes(kind)) return `{{${name}}}: ${kind} steps carry no ${name.split('.')[0]}`;
  return undefined;
}

const idOf = (reference: string | undefined) => reference?.split('/').pop();

/** The step's facts by placeholder name; a fact the step does not carry is absent. */
export function stepValues(step: OperatorStep): Record<string, string | undefined> {
  return {
    step: step.kind,
    connection: step.connection,
    'run.id': step.runId,
    schedule: step.schedule,
    'schedule.id': idOf(step.schedule),
    'slot.id': step.slot?.id,
    'slot.start': step.slot?.start,
    'slot.end': step.slot?.end,
    patient: step.patient,
    'patient.id': idOf(step.patient),
    key: step.key,
    'appointment.id': step.appointment,
    'window.start': step.window?.start,
    'window.end': step.window?.end,
    'vendor.type': step.vendor?.type,
    'vendor.address': step.vendor?.address,
    practitioner: step.practitioner,
    'person.name': step.person?.name,
    'person.birthDate': step.person?.birthDate,
    utcOffset: step.utcOffset,
    request: step.request,
  };
}

/**
 * Fills the placeholders of `text`. In a URL (`encode`), the step's values are percent-encoded and `env.NAME`
 * and `vendor.address` values go in as they are (they are typically the base URL itself).
 */
export function fill(text: string, step: OperatorStep, env: NodeJS.ProcessEnv, options: { encode?: boolean } = {}): string {
  const values = stepValues(step);
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    if (name.startsWith('env.')) {
      const value = env[name.slice(4)];
      if (value === undefined) throw new TemplateError(`{{${name}}}: environment variable ${name.slice(4)} is not set`);
      return value;
    }
    const value = values[name];
    if (value === undefined) throw new TemplateError(`{{${name}}}: this ${step.kind} step carries no ${name}`);
    return options.encode && !VERBATIM_IN_URL.has(name) ? encodeURIComponent(value) : value;
  });
}

/** Fills every string inside a JSON value (an HTTP body), leaving its shape as it is. */
export function fillJson(value: unknown, step: OperatorStep, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return fill(value, step, env);
  if (Array.isArray(value)) return value.map((v) => fillJson(v, step, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, step, env)]));
  }
  return value;
}

/** Every string inside a JSON value, for checking its placeholders. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The step as `EHRC_*` environment variables for a shell command (absent facts are left out). */
export function stepEnv(step: OperatorStep): Record<string, string> {
  const values = stepValues(step);
  const env: Record<string, string> = { EHRC_INSTRUCTION: step.instruction };
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) env[`EHRC_${name.replace(/\./g, '_').toUpperCase()}`] = value;
  }
  return env;
}
