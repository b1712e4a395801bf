// The {{placeholders}} of a mapping's requests: `{{slot.start}}`, `{{params.providerId}}`, `{{env.API_KEY}}`. A
// text is filled in place; a body text that is one placeholder alone keeps its value's type (a number stays a
// number, a list a list). What a placeholder may name is fixed here, so a mapping's typo fails at plan load. Pure.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}$/;
/** Braces that open a placeholder but do not make one: `{{ slot start }}`, `{{}}`. */
const BROKEN = /\{\{(?![\s]*[A-Za-z_][\w-]*(?:\.[\w-]+)*\s*\}\})/;

/** What a request may name: what the probe asks about, the plan's params, the environment, the run's webhook. */
export const PLACEHOLDER_ROOTS = ['schedule', 'scheduleRef', 'window', 'slot', 'patient', 'key', 'booking', 'params', 'env', 'webhook'] as const;
export type PlaceholderRoot = (typeof PLACEHOLDER_ROOTS)[number];

export type TemplateValues = Partial<Record<PlaceholderRoot, unknown>>;

/** A placeholder with no value where the request is made (`{{params.providerId}}` when the plan gives none). */
export class MissingValue extends Error {
  constructor(readonly placeholder: string) {
    super(`{{${placeholder}}} has no value here`);
    this.name = 'MissingValue';
  }
}

/** Every placeholder in a template value (texts anywhere inside it), and every malformed one as `!text`. */
export function placeholdersIn(value: unknown): string[] {
  if (typeof value === 'string') {
    const found = [...value.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    return BROKEN.test(value) ? [...found, `!${value}`] : found;
  }
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(placeholdersIn);
  return [];
}

function lookup(name: string, values: TemplateValues): unknown {
  let at: unknown = values;
  for (const part of name.split('.')) {
    if (at === null || typeof at !== 'object' || !(part in (at as object))) throw new MissingValue(name);
    at = (at as Record<string, unknown>)[part];
  }
  if (at === undefined || at === null) throw new MissingValue(name);
  return at;
}

/** A text with every placeholder filled in; `encode` escapes each value (a path's, so an id cannot add segments). */
export function render(template: string, values: TemplateValues, encode: (text: string) => string = (t) => t): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    const value = lookup(name, values);
    return encode(typeof value === 'string' ? value : JSON.stringify(value));
  });
}

/** A JSON body template filled in: texts rendered, a lone placeholder replaced by its value. */
export function renderBody(body: unknown, values: TemplateValues): unknown {
  if (typeof body === 'string') {
    const whole = WHOLE.exec(body);
    return whole ? lookup(whole[1]!, values) : render(body, values);
  }
  if (Array.isArray(body)) return body.map((item) => renderBody(item, values));
  if (body !== null && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, renderBody(v, values)]));
  return body;
}

/** Names of `params.*` and `env.*` a template value uses, for the plan's and the environment's checks. */
export function namesUnder(root: 'params' | 'env', value: unknown): string[] {
  return placeholdersIn(value)
    .filter((p) => p.startsWith(`${root}.`))
    .map((p) => p.slice(root.length + 1).split('.')[0]!);
}
