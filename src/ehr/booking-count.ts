// What a person (or a script) counted on one slot of the EHR's schedule screen: the test patient's active bookings
// and all active bookings. Accepts what people and consoles give: one number (the patient's, and then all),
// two numbers ("1 1"), `{forPatient, onSlot}`, or the bookings themselves (a list of appointments, or a FHIR
// searchset of Appointments), which are counted here. Pure.
import { sameReference } from './search-match.js';
import { ReadingError } from '../operator/reading.js';

export interface BookingCount {
  /** Active bookings on the slot for the run's test patient. */
  forPatient: number;
  /** Active bookings on the slot, for anyone. */
  onSlot: number;
}

const INACTIVE = new Set(['cancelled', 'entered-in-error', 'noshow']);

export function readBookingCount(reading: unknown, slotId: string, patient: string): BookingCount {
  if (typeof reading === 'number') return checked(reading, reading);
  if (typeof reading === 'string') return fromText(reading);
  if (Array.isArray(reading)) return fromBookings(reading, slotId, patient);
  if (reading !== null && typeof reading === 'object') {
    const doc = reading as Record<string, unknown>;
    if (typeof doc.forPatient === 'number' && typeof doc.onSlot === 'number') return checked(doc.forPatient, doc.onSlot);
    if (doc.resourceType === 'Bundle') {
      const entries = Array.isArray(doc.entry) ? (doc.entry as Array<{ resource?: { resourceType?: string } }>) : [];
      return fromBookings(entries.map((e) => e.resource).filter((r) => r?.resourceType === 'Appointment'), slotId, patient);
    }
    if (Array.isArray(doc.appointments)) return fromBookings(doc.appointments, slotId, patient);
  }
  throw new ReadingError('the count is not a number, two numbers, {forPatient, onSlot}, a list of appointments or a FHIR Bundle of Appointments');
}

function fromText(text: string): BookingCount {
  const numbers = text.trim().split(/[\s,;/]+/).filter(Boolean);
  if (numbers.length < 1 || numbers.length > 2 || !numbers.every((n) => /^\d{1,4}$/.test(n))) {
    throw new ReadingError(`not a count: "${text.trim().slice(0, 40)}" (give the test patient's bookings on the slot, then all of them)`);
  }
  const [forPatient, onSlot = forPatient] = numbers.map(Number) as [number, number?];
  return checked(forPatient, onSlot);
}

function checked(forPatient: number, onSlot: number): BookingCount {
  if (![forPatient, onSlot].every((n) => Number.isInteger(n) && n >= 0)) throw new ReadingError('a count must be a whole number, 0 or more');
  if (onSlot < forPatient) throw new ReadingError(`the slot cannot hold ${onSlot} booking(s) in all but ${forPatient} for the test patient`);
  return { forPatient, onSlot };
}

/** Appointments as the staff console lists them (`slot: ["Slot/1"], patient: "Patient/2"`) or as FHIR has them. */
function fromBookings(items: unknown[], slotId: string, patient: string): BookingCount {
  let forPatient = 0;
  let onSlot = 0;
  for (const item of items) {
    const a = item as { status?: unknown; slot?: unknown; patient?: unknown; participant?: Array<{ actor?: { reference?: string } }> } | null;
    if (!a || typeof a !== 'object') throw new ReadingError('an appointment in the count is not an object');
    if (typeof a.status === 'string' && INACTIVE.has(a.status)) continue;
    const slots = (Array.isArray(a.slot) ? a.slot : [a.slot]).map((s) => (typeof s === 'string' ? s : (s as { reference?: string } | undefined)?.reference));
    if (!slots.some((s) => sameReference(s, `Slot/${slotId}`))) continue;
    onSlot += 1;
    const patients = [typeof a.patient === 'string' ? a.patient : undefined, ...(a.participant ?? []).map((p) => p.actor?.reference)];
    if (patients.some((p) => sameReference(p, patient))) forPatient += 1;
  }
  return { forPatient, onSlot };
}
