// The scripted operator: answers each step with the script's shell command (`/bin/sh -c`, the step's facts in
// `EHRC_*` variables) or HTTP call (templated, loopback or the step's own EHR host only), within a timeout.
// A reading step takes its answer from the command's stdout or the HTTP response, as JSON when it parses.
import { execFile } from 'node:child_process';
import { request } from 'undici';
import { monotonicNow } from '../timing.js';
import { hostAllowed, type HttpAnswer, type OperatorScript, type ScriptStep } from './script-file.js';
import { fill, fillJson, stepEnv, TemplateError } from './template.js';
import { isVendorStep, READING_KINDS, type Operator, type OperatorResult, type OperatorStep } from './types.js';

const MAX_ANSWER_BYTES = 1024 * 1024;

export class ScriptOperator implements Operator {
  readonly kind = 'script' as const;
  readonly available = true;

  constructor(
    private readonly script: OperatorScript,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  async perform(step: OperatorStep, signal?: AbortSignal): Promise<OperatorResult> {
    const askedAt = new Date().toISOString();
    const askedAtMs = monotonicNow();
    const answer = this.script.steps.find((s) => s.kind === step.kind && (s.connection === undefined || s.connection === step.connection));
    const finish = (outcome: OperatorResult['outcome'], extra: Partial<OperatorResult> = {}): OperatorResult => ({
      outcome,
      by: 'script',
      askedAt,
      askedAtMs,
      ...(outcome === 'done' && { confirmedAt: new Date().toISOString(), confirmedAtMs: monotonicNow() }),
      ...extra,
    });
    if (!answer) return finish('skipped', { message: `the operator script ${this.script.file} has no ${step.kind} step` });
    if (signal?.aborted) return finish('skipped', { message: 'the run was interrupted' });
    const timeoutMs = (answer.timeoutSeconds ?? this.script.timeoutSeconds) * 1000;
    try {
      const raw = answer.command !== undefined ? await this.runCommand(answer, step, timeoutMs, signal) : await this.callHttp(answer.http!, step, timeoutMs, signal);
      if (isVendorStep(step.kind)) return finish('done', await vendorAnswer(answer, raw, READING_KINDS.has(step.kind)));
      return finish('done', READING_KINDS.has(step.kind) ? { reading: raw } : {});
    } catch (error) {
      return finish('failed', { message: `${step.kind} step of ${this.script.file}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private runCommand(answer: ScriptStep, step: OperatorStep, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const env = { ...this.env, ...stepEnv(step) };
      execFile('/bin/sh', ['-c', answer.command!], { env, timeout: timeoutMs, maxBuffer: MAX_ANSWER_BYTES, signal, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
        if (!error) return resolve(parseAnswer(stdout));
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string; signal?: string };
        if (e.name === 'AbortError') return reject(new Error('the run was interrupted'));
        if (e.killed || e.signal === 'SIGKILL') return reject(new Error(`the command did not finish within ${timeoutMs / 1000} s`));
        const said = firstLine(stderr);
        reject(new Error(`the command exited with ${typeof e.code === 'number' ? `code ${e.code}` : String(e.code ?? e.message)}${said ? `: ${said}` : ''}`));
      });
    });
  }

  private async callHttp(answer: HttpAnswer, step: OperatorStep, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    let url: URL;
    let body: string | undefined;
    try {
      url = new URL(fill(answer.url, step, this.env, { encode: true }));
      body = answer.body === undefined ? undefined : JSON.stringify(fillJson(answer.body, step, this.env));
    } catch (error) {
      throw error instanceof TemplateError ? error : new Error(`not a URL after templating: ${answer.url}`);
    }
    // A step at the vendor's product may also call the plan's own address for it (its chat or web page).
    const allowed = [safeHost(step.ehrBaseUrl), isVendorStep(step.kind) ? safeHost(step.vendor?.address ?? '') : undefined].filter((h): h is string => h !== undefined);
    if (!hostAllowed(url.hostname, allowed)) throw new Error(`refusing to call ${url.host}: neither loopback, this connection's EHR, nor the vendor's address in the plan`);
    const headers: Record<string, string> = { accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) };
    for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = fill(value, step, this.env);
    const timer = AbortSignal.timeout(timeoutMs);
    const res = await request(url, {
      method: answer.method,
      headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: signal ? AbortSignal.any([signal, timer]) : timer,
    }).catch((error: unknown) => {
      if (timer.aborted) throw new Error(`${answer.method} ${url.host}${url.pathname} did not answer within ${timeoutMs / 1000} s`);
      throw new Error(`${answer.method} ${url.host}${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
    });
    const text = await readCapped(res.body);
    if (res.statusCode >= 300) throw new Error(`${answer.method} ${url.pathname} answered HTTP ${res.statusCode}${reasonOf(text)}`);
    return parseAnswer(text);
  }
}

/**
 * What a step at the vendor's product came back with: the product's words (the `reply` expression over the answer,
 * else the answer itself) and, for a request, whether it said yes (the `confirmed` expression; yes without one).
 */
async function vendorAnswer(answer: ScriptStep, raw: unknown, reading: boolean): Promise<Partial<OperatorResult>> {
  const pick = async (expression: string) => {
    const { default: jsonata } = await import('jsonata');
    try {
      return await jsonata(expression).evaluate(raw);
    } catch (error) {
      throw new Error(`the expression ${JSON.stringify(expression)} failed on the answer: ${(error as { message?: string }).message ?? String(error)}`);
    }
  };
  if (!reading) return { vendorSaidYes: answer.confirmed !== undefined ? (await pick(answer.confirmed)) === true : true };
  const said = answer.reply !== undefined ? await pick(answer.reply) : raw;
  return { reading: said ?? '' };
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) throw new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON when the answer parses as JSON; otherwise the trimmed text. */
function parseAnswer(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
}

/** `: {message}` from a JSON error answer (`message`, `error`, or an OperationOutcome's text), cut short. */
function reasonOf(text: string): string {
  const parsed = parseAnswer(text) as Record<string, unknown> | string;
  let reason: unknown = typeof parsed === 'string' ? parsed : parsed?.message ?? parsed?.error;
  if (typeof parsed === 'object' && parsed?.resourceType === 'OperationOutcome') {
    const issue = (parsed.issue as Array<{ diagnostics?: string; details?: { text?: string } }> | undefined)?.[0];
    reason = issue?.diagnostics ?? issue?.details?.text;
  }
  return typeof reason === 'string' && reason.trim() ? `: ${reason.trim().slice(0, 200)}` : '';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
