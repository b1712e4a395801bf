// What every record a run writes carries, on the EHR's side or through the vendor: the run tag and the HTEST
// label, and a key unique to the run that ledger and cleanup find it by.
import type { ConnectionContext } from '../context.js';
import type { Appointment, Slot } from '../model/fhir.js';
import { createHash } from 'node:crypto';
import { BOOKING_IDENTIFIER_SYSTEM, HTEST, RUN_TAG_SYSTEM } from './types.js';

/** A synthetic patient's name, plain enough to say on the phone: "Ehrcheck Test 4F2A", born 1990-01-01. */
export interface TestPatientName {
  given: string[];
  /** Four hex digits from the patient's run key: the part that tells this patient from every other. */
  family: string;
  text: string;
  birthDate: string;
}

export const TEST_PATIENT_BIRTH_DATE = '1990-01-01';

/** The run's booking KEY an Appointment carries (its identifier under the booking system), if any. */
export const bookingKeyOf = (a: Pick<Appointment, 'identifier'>): string | undefined => a.identifier?.find((i) => i.system === BOOKING_IDENTIFIER_SYSTEM)?.value;

/** The name of the synthetic patient whose run key (identifier value) is `key`: the same key, the same name. */
export function testPatientName(key: string): TestPatientName {
  const code = createHash('sha256').update(key).digest('hex').slice(0, 4).toUpperCase();
  return { given: ['Ehrcheck', 'Test'], family: code, text: `Ehrcheck Test ${code}`, birthDate: TEST_PATIENT_BIRTH_DATE };
}

export function runMeta(runId: string) {
  return { tag: [{ system: RUN_TAG_SYSTEM, code: runId }], security: [{ ...HTEST }] };
}

/**
 * The keys of one run, shared by all its connections (two connections may reach the same EHR): each booking or
 * patient key is unique to the run, and ledger and cleanup find the vendor's writes by it.
 */
export class RunKeys {
  private issued = 0;
  /**
   * The synthetic patients the run created in the EHR, by `Patient/{id}`, with the name they were given: the only
   * patients a person may be told to act for (docs/safety.md), and so the only ones a person's step may name.
   */
  readonly testPatients = new Map<string, TestPatientName>();
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
