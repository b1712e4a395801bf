// A probe's result as evidence: what it saw, or why it could not see. Probes never throw past this.
import type { RequestRecord } from './model/report.js';
import { collectRequests } from './http/request-log.js';
import { ProbeError } from './http/types.js';
import type { ConnectionContext } from './context.js';
import { PremiseError, type Premise } from './ehr/premise.js';

export type ProbeOutcome<T> =
  | { kind: 'ok'; data: T; requests: RequestRecord[] }
  | { kind: 'error'; error: { kind: string; message: string }; requests: RequestRecord[] }
  | { kind: 'skipped'; reason: string };

export function describeError(error: unknown): { kind: string; message: string; premise?: Premise } {
  // A premise no way confirmed keeps every way tried: the finding's evidence shows what was done and what the EHR showed.
  if (error instanceof PremiseError) return { kind: 'premise', message: error.message, premise: error.premise };
  if (error instanceof ProbeError) return { kind: error.kind, message: error.message };
  if (error instanceof Error) return { kind: error.name === 'AbortError' ? 'interrupted' : 'probe', message: error.message };
  return { kind: 'probe', message: String(error) };
}

/** Runs one probe, keeping the requests it made as evidence and turning any failure into an error value. */
export async function probe<T>(ctx: ConnectionContext, body: () => Promise<T>): Promise<ProbeOutcome<T>> {
  // After SIGINT no new probe starts: the run goes straight to cleanup and its partial report.
  if (ctx.signal.aborted) return { kind: 'error', error: { kind: 'interrupted', message: 'the run was interrupted before this probe' }, requests: [] };
  // Only this probe's own requests, even while other probes of the connection run at the same time.
  const collected: RequestRecord[] = [];
  const requests = () => [...collected];
  try {
    const data = await collectRequests(collected, body);
    return { kind: 'ok', data, requests: requests() };
  } catch (error) {
    return { kind: 'error', error: describeError(error), requests: requests() };
  }
}

/** Resolves after `ms`, or early when the run is interrupted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Polls `read` until `until(value)` holds or `timeoutMs` passes; returns the last value and when it held. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  until: (value: T) => boolean,
  options: { timeoutMs: number; firstDelayMs?: number; maxDelayMs?: number; signal?: AbortSignal },
): Promise<{ value: T; satisfied: boolean; elapsedMs: number }> {
  const started = Date.now();
  let delay = options.firstDelayMs ?? 50;
  let value = await read();
  while (!until(value)) {
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutMs || options.signal?.aborted) return { value, satisfied: false, elapsedMs: elapsed };
    await sleep(Math.min(delay, options.timeoutMs - elapsed), options.signal);
    delay = Math.min(delay * 1.5, options.maxDelayMs ?? 1000);
    value = await read();
  }
  return { value, satisfied: true, elapsedMs: Date.now() - started };
}
