// A probe's result as evidence: what it saw, or why it could not see. Probes never throw past this. The premises
// a verdict rests on are evidence too (how they are confirmed in the EHR: src/ehr/premise.ts).
import type { RequestRecord } from './model/report.js';
import { collectRequests } from './http/request-log.js';
import { ProbeError } from './http/types.js';

/** What a verdict rests on: a change made in the EHR, or a state read there. */
export type PremiseKind = 'block-slot' | 'free-slot' | 'rival-booking' | 'ehr-booking' | 'slot-free' | 'free-slots' | 'patient';
/** Ways of making a change in the EHR, in the order they are tried. */
export type ChangeWay = 'slot-update' | 'slot-patch' | 'ehr-appointment' | 'remove-booking' | 'operator';
/** Ways of reading the EHR back. */
export type ReadWay = 'slot-read' | 'slot-search' | 'appointment-search' | 'patient-read' | 'patient-search' | 'person';

export interface PremiseTry {
  via: ChangeWay | ReadWay;
  /** The EHR's answer to the change (null: a person's step, a read, or no answer). */
  status: number | null;
  held: boolean;
  /** What the EHR showed when read back, or why this way did not hold. */
  note?: string;
}

export interface Premise {
  premise: PremiseKind;
  slot?: string;
  /** The way that held; null when none did. */
  via: ChangeWay | ReadWay | null;
  confirmed: boolean;
  /** How the EHR was read to confirm it. */
  readBy?: ReadWay;
  /** Every way tried, in order. */
  tried: PremiseTry[];
}

export class PremiseError extends Error {
  override readonly name = 'PremiseError';
  constructor(
    readonly premise: Premise,
    message: string,
  ) {
    super(message);
  }
}

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
export async function probe<T>(ctx: { signal: AbortSignal }, body: () => Promise<T>): Promise<ProbeOutcome<T>> {
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
