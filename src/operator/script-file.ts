// The operator script file (`run --operator-script FILE`, YAML or JSON): for each kind of step, a shell command
// or an HTTP call that does it, for runs without a person at the EHR. Checked in full before the run starts:
// every problem is an InputError naming the file and the field (exit 2), never a surprise half-way through.
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { InputError, type InputProblem } from '../errors.js';
import { toProblems } from '../contracts/messages.js';
import { displayPath, readDocument } from '../contracts/read.js';
import { fill, placeholderProblem, placeholders, stringsIn } from './template.js';
import { isVendorStep, STEP_KINDS, type StepKind } from './types.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface HttpAnswer {
  method: (typeof HTTP_METHODS)[number];
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ScriptStep {
  kind: StepKind;
  /** Only for this connection (`epic`, `epic#2`); every connection when absent. */
  connection?: string;
  command?: string;
  http?: HttpAnswer;
  timeoutSeconds?: number;
  /** Vendor steps: a JSONata expression picking what the product said out of the answer (the reading). */
  reply?: string;
  /** vendor-book, vendor-register-patient: a JSONata expression, true when the product said yes. */
  confirmed?: string;
}

export interface OperatorScript {
  /** How messages name the file. */
  file: string;
  timeoutSeconds: number;
  steps: ScriptStep[];
}

export const DEFAULT_STEP_TIMEOUT_SECONDS = 30;
export const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const TIMEOUT = { type: 'number', exclusiveMinimum: 0, maximum: 3600, description: 'seconds, more than 0 and at most 3600' };

const SCHEMA = {
  type: 'object',
  title: 'operator script',
  properties: {
    version: { const: 1 },
    timeoutSeconds: TIMEOUT,
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        title: 'step',
        properties: {
          kind: { enum: [...STEP_KINDS] },
          connection: { type: 'string', minLength: 1 },
          command: { type: 'string', minLength: 1 },
          http: {
            type: 'object',
            title: 'http answer',
            properties: {
              method: { enum: [...HTTP_METHODS] },
              url: { type: 'string', minLength: 1 },
              body: {},
              headers: { type: 'object', additionalProperties: { type: 'string' } },
            },
            required: ['method', 'url'],
            additionalProperties: false,
          },
          timeoutSeconds: TIMEOUT,
          reply: { type: 'string', minLength: 1, description: 'a JSONata expression over the answer: what the product said' },
          confirmed: { type: 'string', minLength: 1, description: 'a JSONata expression over the answer: true when the product said yes' },
        },
        required: ['kind'],
        additionalProperties: false,
      },
    },
  },
  required: ['version', 'steps'],
  additionalProperties: false,
} as const;

let compiled: ReturnType<Ajv['compile']> | undefined;

export interface ScriptLoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Hosts of the plan's EHRs: an HTTP answer may call these, or loopback, and nothing else. */
  ehrHosts: readonly string[];
}

export async function loadOperatorScript(path: string, options: ScriptLoadOptions): Promise<OperatorScript> {
  const absolute = resolve(options.cwd, path);
  const file = displayPath(absolute, options.cwd);
  const doc = await readDocument(absolute, file);
  const script = checkOperatorScript(doc, file, options);
  await checkExpressions(script);
  return script;
}

/** Every `reply` and `confirmed` expression must compile as JSONata (an InputError naming the step otherwise). */
export async function checkExpressions(script: OperatorScript): Promise<void> {
  if (!script.steps.some((s) => s.reply !== undefined || s.confirmed !== undefined)) return;
  const { default: jsonata } = await import('jsonata');
  const problems: InputProblem[] = [];
  script.steps.forEach((step, i) => {
    for (const field of ['reply', 'confirmed'] as const) {
      const expression = step[field];
      if (expression === undefined) continue;
      try {
        jsonata(expression);
      } catch (error) {
        const message = (error as { message?: string }).message ?? String(error);
        problems.push({ file: script.file, field: `/steps/${i}/${field}`, message: `not a JSONata expression (${message}); e.g. "reply" or "$contains(reply, /booked/i)"` });
      }
    }
  });
  if (problems.length > 0) throw new InputError(problems);
}

/** Validates a parsed script; throws an InputError listing every problem. */
export function checkOperatorScript(doc: unknown, file: string, options: Omit<ScriptLoadOptions, 'cwd'>): OperatorScript {
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(SCHEMA);
  if (!compiled(doc)) throw new InputError(toProblems(compiled.errors ?? [], file));
  const script = doc as { timeoutSeconds?: number; steps: ScriptStep[] };
  const problems: InputProblem[] = [];
  const seen = new Map<string, number>();
  script.steps.forEach((step, i) => {
    const at = `/steps/${i}`;
    const problem = (field: string, message: string) => problems.push({ file, field: `${at}${field}`, message });
    if ((step.command === undefined) === (step.http === undefined)) problem('', 'give exactly one answer: `command` (a shell command) or `http` ({method, url, body?})');
    if (step.reply !== undefined && !isVendorStep(step.kind)) problem('/reply', `only steps at the vendor's product (vendor-*) take a reply expression, not ${step.kind}`);
    if (step.confirmed !== undefined && step.kind !== 'vendor-book' && step.kind !== 'vendor-register-patient') {
      problem('/confirmed', `only vendor-book and vendor-register-patient steps ask the product for a yes or no, not ${step.kind}`);
    }
    const scope = `${step.kind}@${step.connection ?? '*'}`;
    if (seen.has(scope)) problem('/kind', `a second ${step.kind} step${step.connection ? ` for ${step.connection}` : ''}: steps ${seen.get(scope)} and ${i} would both answer it`);
    else seen.set(scope, i);
    const texts: Array<[string, string]> = [];
    if (step.command !== undefined) texts.push(['/command', step.command]);
    if (step.http) {
      texts.push(['/http/url', step.http.url], ...stringsIn(step.http.body).map((s): [string, string] => ['/http/body', s]));
      for (const [name, value] of Object.entries(step.http.headers ?? {})) texts.push([`/http/headers/${name}`, value]);
    }
    for (const [field, text] of texts) {
      for (const name of placeholders(text)) {
        const wrong = placeholderProblem(name, step.kind, options.env);
        if (wrong) problem(field, wrong);
      }
    }
    if (step.http && problems.length === 0) {
      const wrong = urlProblem(step.http.url, options.env, options.ehrHosts, isVendorStep(step.kind));
      if (wrong) problem('/http/url', wrong);
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return { file, timeoutSeconds: script.timeoutSeconds ?? DEFAULT_STEP_TIMEOUT_SECONDS, steps: script.steps };
}

/**
 * The URL's host must be loopback or one of the plan's EHRs, whatever the step's values turn out to be; a step at
 * the vendor's product may also call the plan's own chat or web address (`{{vendor.address}}`, checked when called).
 */
function urlProblem(template: string, env: NodeJS.ProcessEnv, ehrHosts: readonly string[], atVendor: boolean): string | undefined {
  const probeStep = { kind: 'read-free-slots' as const, connection: 'x', ehrBaseUrl: 'http://127.0.0.1/', runId: 'x', instruction: '' };
  let url: URL;
  try {
    // The plan's vendor address stands in as loopback: where it points is the plan's to say.
    const vendorAddress = atVendor && /^\s*\{\{\s*vendor\.address\s*\}\}/.test(template);
    // Step values stand in as "x": they are percent-encoded at run time and cannot change the host.
    const text = template.replace(/^\s*\{\{\s*vendor\.address\s*\}\}/, atVendor ? 'http://127.0.0.1/vendor' : 'x').replace(/\{\{\s*(?!env\.)[A-Za-z0-9_.-]+\s*\}\}/g, 'x');
    url = new URL(fill(text, probeStep, env, { encode: true }));
    if (vendorAddress) return undefined;
  } catch {
    return `not an absolute http(s) URL: ${template}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https are called, not ${url.protocol}`;
  if (!hostAllowed(url.hostname, ehrHosts)) {
    return `${url.hostname} is neither loopback nor the host of an EHR in the plan: operator steps call nothing else`;
  }
  return undefined;
}

export function hostAllowed(hostname: string, ehrHosts: readonly string[]): boolean {
  return LOOPBACK_HOSTS.has(hostname) || ehrHosts.some((h) => h.toLowerCase() === hostname.toLowerCase());
}
