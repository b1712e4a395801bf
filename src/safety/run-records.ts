// What every record a run writes carries, on the EHR's side or through the vendor: the run tag and the HTEST
// label, and a key unique to the run that ledger and cleanup find it by.
import type { ConnectionContext } from '../context.js';
import type { Appointment, Slot } from '../model/fhir.js';
import { BOOKING_IDENTIFIER_SYSTEM, HTEST, RUN_TAG_SYSTEM } from './types.js';

export function runMeta(runId: string) {
  return { tag: [{ system: RUN_TAG_SYSTEM, code: runId }], security: [{ ...HTEST }] };
}

/**
 * The keys of one run, shared by all its connections (two connections may reach the same EHR): each booking or
 * patient key is unique to the run, and ledger and cleanup find the vendor's writes by it.
 */
export class RunKeys {
  private issued = 0;
  constructor(readonly runId: string) {}
  next(label: string): string {
    this.issued += 1;
    return `${this.runId}-${label}-${this.issued}`;
  }
}

/** A key unique to the context's run: `RUN_ID-label-n`. */
export function runKey(ctx: Pick<ConnectionContext, 'keys'>, label: string): string {
  return ctx.keys.next(label);
}

/** The booking body of the vendor contract for one slot and patient (the EHR-side booking uses it too). */
export function bookingRequest(ctx: ConnectionContext, slot: Slot, patientId: string, key: string): Appointment {
  return {
    resourceType: 'Appointment',
    meta: runMeta(ctx.runId),
    status: 'booked',
    slot: [{ reference: `Slot/${slot.id}` }],
    start: slot.start,
    end: slot.end,
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      { actor: { reference: slot.schedule.reference }, status: 'accepted' },
    ],
    identifier: [{ system: BOOKING_IDENTIFIER_SYSTEM, value: key }],
  };
}
