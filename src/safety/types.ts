// The write-ahead ledger's contract (docs/safety.md): every write is recorded before it is sent.

export type WriteTarget = 'ehr' | 'vendor';

export interface LedgerIntent {
  connection: string;
  target: WriteTarget;
  /** What the write does, in domain words: create-patient, book, block-slot, free-slot, register-patient, subscribe, remove… */
  action: string;
  resourceType: string;
  /** For updates: the resource's id. For vendor bookings: unknown until the EHR is read. */
  id?: string;
  /** Identifier the run gave the resource (`system|value`), so cleanup can find what a vendor wrote for it. */
  identifier?: string;
  /** Slot status before the run touched it, so cleanup can put it back. */
  slot?: { id: string; previousStatus: string };
  /** A booking's patient (`Patient/{id}`): where the EHR's API cannot find bookings, a person cancels them by slot and patient. */
  patient?: string;
  /** For a removal: the run identifier the removed record carried, so cleanup can tell which write made it. */
  forIdentifier?: string;
}

/** A probe undoing its own record during the run: `remove` deletes it, `cancel` (where delete is refused) cancels it. */
export const REMOVAL_ACTIONS: ReadonlySet<string> = new Set(['remove', 'cancel']);

/** A write that can make a record in the EHR (a slot change or a removal cannot). */
export const makesRecord = (e: LedgerIntent): boolean => e.resourceType !== 'Slot' && !REMOVAL_ACTIONS.has(e.action);

export interface LedgerEntry extends LedgerIntent {
  seq: number;
  at: string;
  runId: string;
  /** Filled in by `done`: what the server answered and the id it assigned. */
  result?: WriteResult;
}

export interface WriteResult {
  status: number | null;
  id?: string;
  /** The vendor took the booking for later entry though its status does not say so (a REST API's 201 "pending"). */
  queued?: boolean;
}

/** The vendor took this booking for later entry (HTTP 202, or an answer read as pending): it may land after the run. */
export const answeredQueued = (e: LedgerEntry): boolean => e.target === 'vendor' && e.action === 'book' && (e.result?.status === 202 || e.result?.queued === true);

export interface Ledger {
  readonly runId: string;
  /** Appends the intent durably (fsync) before the write is sent; returns its sequence number. */
  intend(intent: LedgerIntent): Promise<number>;
  /** Records the outcome of an intended write. */
  done(seq: number, result: WriteResult): Promise<void>;
  entries(): LedgerEntry[];
}

/** The tag every resource the run writes carries, and the security label that marks it test data. */
export const RUN_TAG_SYSTEM = 'urn:ehr-check:run';
export const BOOKING_IDENTIFIER_SYSTEM = 'urn:ehr-check:booking';
export const PATIENT_IDENTIFIER_SYSTEM = 'urn:ehr-check:patient';
export const HTEST = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
} as const;
