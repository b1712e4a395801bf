// The asserted method matrix per real CapabilityStatement, shared by the planner's unit test and the inspect CLI test.
import type { FindingMethod } from '../../src/capability/methods.js';
import { ALL_FINDING_IDS, type FindingId } from '../../src/model/report.js';
import type { CapabilityFile } from './real-world.js';

export type M = FindingMethod['method'];
const A: M = 'api';
const O: M = 'operator';
const X: M = 'impossible';

// Columns in ALL_FINDING_IDS order:
// read-through, write-lands, write-idempotent, conflict-refused, patient-matched, certification,
// required-systems, claim-integrity, connection-live, ehr-to-vendor-lag, vendor-to-ehr-lag, double-booking-race,
// writes-at-volume (dozens of bookings: by API or not at all)
// No booking search: a person at the EHR's schedule screen counts bookings and makes EHR-side changes; only the
// vendor → EHR arrival time (a person cannot place it finely) and the race (simultaneity) stay impossible.
const noAppointment: M[] = [O, O, O, O, A, A, A, A, A, O, X, X, X];
const notR4: M[] = [X, X, X, X, X, A, A, A, A, X, X, X, X];

export const EXPECTED_MATRIX: Record<CapabilityFile, M[]> = {
  // Appointment readable only by _id or vendor-specific queries: bookings cannot be found by search, a person counts them.
  'athenahealth-athenaone-r4.json': [O, O, O, O, A, A, A, A, A, O, X, X, X],
  'careevolution-hiebus-r4.json': noAppointment,
  'eclinicalworks-fhir-facade-r4.json': noAppointment,
  'epic-advantagecare-stu3.json': notR4,
  'epic-ardent-dstu2.json': notR4,
  // Appointment?identifier= but no Slot, no Appointment create: a person makes EHR-side changes (and no burst can find its slots).
  'epic-jefferson-health-r4.json': [O, A, A, O, A, A, A, A, A, O, A, X, X],
  'meditech-greenfield-r4.json': [O, A, A, O, A, A, A, A, A, O, A, X, X],
  'nextgen-enterprise-r4.json': noAppointment,
  'nextgen-office-r4.json': noAppointment,
  // Slot search (schedule.actor, start), Appointment by patient and date, nothing writable.
  'oracle-health-millennium-open-r4.json': [A, A, A, O, A, A, A, A, A, O, A, X, A],
  // Slot patch and Appointment create: everything by API.
  'oracle-health-millennium-r4.json': [A, A, A, A, A, A, A, A, A, A, A, A, A],
  'veradigm-fhir-r4.json': noAppointment,
};

export function methodsOf(plan: Record<FindingId, { method: M }>): M[] {
  return ALL_FINDING_IDS.map((id) => plan[id].method);
}

