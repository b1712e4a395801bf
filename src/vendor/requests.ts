// What the probes ask of the vendor for one connection, through its channel: its free slots, a booking and a
// patient registration. Every write goes through the ledger first and carries the run tag and the HTEST label.
import type { Patient } from '@medplum/fhirtypes';
import type { ConnectionContext } from '../context.js';
import type { Slot, Window } from '../model/fhir.js';
import { bookingRequest } from '../safety/run-records.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
import type { OperatorStepRecord } from '../operator/types.js';
import { monotonicNow } from '../timing.js';
import type { VendorAnswer } from './outcome.js';
import { matchToEhr } from './slot-match.js';

export interface VendorSlotsAnswer {
  status: number;
  slotIds: string[];
  /** The vendor's free slots themselves (start, end, schedule), for booking one the EHR's API cannot describe. */
  slots: Slot[];
  durationMs: number;
}

/**
 * The vendor's free slots, as the vendor believes them to be, named by the EHR's ids where they stand for one of
 * `ehrSlots` (slot-match.ts): a vendor that does not know the EHR's ids is matched by start and end.
 */
export async function vendorFreeSlots(ctx: ConnectionContext, window: Window, ehrSlots: readonly Slot[] = []): Promise<VendorSlotsAnswer> {
  if (!ctx.schedule) throw new Error('no schedule to probe: give `schedule` in the plan, or the EHR must list one');
  const started = Date.now();
  const slots = matchToEhr(await ctx.vendor.freeSlots(ctx.schedule, window), ehrSlots);
  const free = slots.filter((s) => s.resourceType === 'Slot' && (s.status ?? 'free') === 'free');
  return { status: 200, slotIds: free.map((s) => s.id), slots: free, durationMs: Date.now() - started };
}

/** Books through the vendor. The ledger records the KEY first: whatever the vendor writes, cleanup finds it. */
export async function bookViaVendor(ctx: ConnectionContext, slot: Slot, patientId: string, key: string): Promise<VendorAnswer> {
  const identifier = `${BOOKING_IDENTIFIER_SYSTEM}|${key}`;
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'vendor', action: 'book', resourceType: 'Appointment', identifier, slot: { id: slot.id, previousStatus: slot.status }, patient: `Patient/${patientId}` });
  const answer = await ctx.vendor.book(bookingRequest(ctx, slot, patientId, key), identifier);
  // A REST API's 201 "pending" is queued as much as a 202: cleanup asks the vendor about it (src/safety/cleanup.ts).
  await ctx.ledger.done(seq, { status: answer.status, ...(answer.outcome === 'queued' && answer.status !== 202 && { queued: true }) });
  return answer;
}

/** Registers a patient through the vendor; `ledgered` is the run identifier cleanup finds its record by. */
export async function registerViaVendor(ctx: ConnectionContext, patient: Patient, matchIdentifier: string, ledgered: string): Promise<VendorAnswer> {
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'vendor', action: 'register-patient', resourceType: 'Patient', identifier: ledgered });
  const answer = await ctx.vendor.registerPatient(patient, matchIdentifier);
  await ctx.ledger.done(seq, { status: answer.status, id: answer.id });
  return answer;
}

/** Runs a probe and keeps the steps a person took at the vendor's product meanwhile (if any), for its evidence. */
export async function withVendorSteps<T extends object>(ctx: ConnectionContext, body: () => Promise<T>): Promise<T & { vendorSteps?: OperatorStepRecord[] }> {
  const mark = monotonicNow();
  const data = await body();
  const steps = ctx.vendor.personSteps?.(mark) ?? [];
  return steps.length > 0 ? { ...data, vendorSteps: steps } : data;
}
