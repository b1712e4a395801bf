// Where the EHR's API cannot find a booking (no Appointment search by identifier, patient and date, or slot), a
// person at the EHR's schedule screen counts the bookings on the slot: the test patient's, and all. write-lands,
// write-idempotent and conflict-refused are judged on that count as they would be on the API's answer.
import type { ConnectionContext } from '../context.js';
import type { Slot } from '../model/fhir.js';
import { bookViaVendor } from '../vendor/requests.js';
import type { VendorAnswer } from '../vendor/outcome.js';
import { sleep } from '../timing.js';
import { readBookingCount, type BookingCount } from './booking-count.js';
import { expectDone } from './person-steps.js';
import { makeStep } from '../operator/instructions.js';
import { ReadingError } from '../operator/reading.js';
import { StepFailed, stepRecord, type OperatorStepRecord } from '../operator/types.js';

export interface PersonCount extends BookingCount {
  record: OperatorStepRecord;
}

/** Asks the person (or the script) to count the bookings on `slot`. */
export async function personCountsBookings(ctx: ConnectionContext, slot: Slot, patientId: string): Promise<PersonCount> {
  const patient = `Patient/${patientId}`;
  const step = makeStep({
    kind: 'count-bookings',
    connection: ctx.key,
    ehrBaseUrl: ctx.connection.ehr.fhirBaseUrl,
    runId: ctx.runId,
    slot: { id: slot.id, start: slot.start, end: slot.end },
    schedule: slot.schedule?.reference ?? ctx.schedule,
    patient,
  });
  const result = await ctx.operator!.perform(step, ctx.signal);
  expectDone(step.kind, result);
  let count: BookingCount;
  try {
    count = readBookingCount(result.reading, slot.id, patient);
  } catch (error) {
    throw new StepFailed(`the count of bookings on Slot ${slot.id} could not be used: ${error instanceof ReadingError ? error.message : String(error)}`);
  }
  return { ...count, record: { ...stepRecord(step, result), counted: count } };
}

export interface CountedBooking {
  answer: VendorAnswer;
  /** The test patient's bookings on the slot, as counted (beyond `ours`, the EHR-side ones the run made itself). */
  bookings: Array<{ status: string; slot: string; patient: string }>;
  slotBookings: number;
  /** When the vendor answered 202: how long until the person counted the booking (null: not by the last count). */
  queuedLandedAfterMs?: number | null;
  readBy: 'operator';
  operatorSteps: OperatorStepRecord[];
}

/**
 * Books `slot` through the vendor, then a person counts. A booking the vendor only queued (202) is counted again
 * once `queueWaitMs` has passed, if it was not there at first. `held`: the patient's bookings already on the slot
 * before this booking; `ours`: those the run itself made on the EHR's side (a block by an EHR-side Appointment).
 */
export async function bookAndCount(
  ctx: ConnectionContext,
  slot: Slot,
  patientId: string,
  key: string,
  options: { queueWaitMs: number; held?: number; ours?: number },
): Promise<CountedBooking> {
  const started = Date.now();
  const answer = await bookViaVendor(ctx, slot, patientId, key);
  const held = options.held ?? 0;
  let count = await personCountsBookings(ctx, slot, patientId);
  const steps = [count.record];
  let queuedLandedAfterMs: number | null | undefined;
  if (answer.outcome === 'queued') {
    if (count.forPatient - (options.ours ?? 0) <= held) {
      await sleep(Math.max(0, options.queueWaitMs - (Date.now() - started)), ctx.signal);
      count = await personCountsBookings(ctx, slot, patientId);
      steps.push(count.record);
    }
    queuedLandedAfterMs = count.forPatient - (options.ours ?? 0) > held ? Date.now() - started : null;
  }
  const patient = `Patient/${patientId}`;
  const bookings = Array.from({ length: Math.max(0, count.forPatient - (options.ours ?? 0)) }, () => ({ status: 'booked', slot: `Slot/${slot.id}`, patient }));
  return { answer, bookings, slotBookings: count.onSlot, ...(queuedLandedAfterMs !== undefined && { queuedLandedAfterMs }), readBy: 'operator', operatorSteps: steps };
}
