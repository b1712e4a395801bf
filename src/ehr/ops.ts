// The EHR reads and removals the probes share: its free slots, a slot, the bookings of a KEY or on a slot, and
// taking a run's booking back (blocking and freeing a slot: slot-changes.ts; test patients: patients.ts; what
// the vendor is asked: src/vendor/requests.ts). Every write goes through the ledger first (docs/safety.md).
import type { FhirResponse } from '../http/types.js';
import type { Appointment, Slot, Window } from '../model/fhir.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
import { bookingKeyOf } from '../safety/run-records.js';
import type { ConnectionContext } from '../context.js';
import { bookingRoute } from './capability.js';
import { ACTIVE_APPOINTMENT, removeRecord } from './removal.js';
import { keepMatching } from './search-match.js';
import { searchable } from '../capability/reader.js';

export { bookingRoute, canReadSlots, canRemoveAppointments, type BookingRoute } from './capability.js';


/** The probed window: from an hour from now (never the slot starting this minute) to `days` ahead. */
export function probeWindow(now = Date.now(), days = 14): Window {
  const start = new Date(now + 60 * 60 * 1000);
  const end = new Date(now + days * 24 * 60 * 60 * 1000);
  return { start: start.toISOString(), end: end.toISOString() };
}

/** Narrow window around one slot, so polls are cheap. */
export function slotWindow(slot: Slot): Window {
  return { start: slot.start, end: new Date(Date.parse(slot.end) + 1000).toISOString() };
}

function slotQuery(schedule: string, window: Window, status?: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {
    schedule,
    start: [`ge${window.start}`, `lt${window.end}`],
    _count: '200',
  };
  if (status) query.status = status;
  return query;
}

/** The EHR's free slots of the schedule in the window: the truth the vendor is compared with. */
export async function ehrFreeSlots(ctx: ConnectionContext, window: Window): Promise<Slot[]> {
  const query = slotQuery(requireSchedule(ctx), window, 'free');
  return keepMatching('Slot', await ctx.ehr.searchAll<Slot>('Slot', query, { maxPages: 40 }), query);
}

export async function readSlot(ctx: ConnectionContext, id: string): Promise<Slot> {
  return ctx.ehr.read<Slot>('Slot', id);
}

/** What is known of a booking besides its KEY: an EHR that cannot search by identifier is searched by these. */
export interface BookingHint {
  slot: Pick<Slot, 'id' | 'start'>;
  patientId: string;
}

/**
 * Appointments the EHR holds for a booking KEY, whatever their status: by `Appointment?identifier=` where the EHR
 * allows it; else by the patient and the slot's date, or by the slot, keeping the ones that carry the KEY (or,
 * carrying no run key at all, are on the slot for the patient).
 */
export async function ehrAppointmentsByKey(ctx: ConnectionContext, key: string, hint?: BookingHint): Promise<Appointment[]> {
  const route = bookingRoute(ctx);
  if (route === 'identifier') {
    const byKey = { identifier: `${BOOKING_IDENTIFIER_SYSTEM}|${key}` };
    const found = keepMatching('Appointment', await ctx.ehr.searchAll<Appointment>('Appointment', byKey, { maxPages: 5 }), byKey);
    // A vendor that takes no booking key (a person at its product) writes bookings without it: those are found
    // by the test patient on the slot too.
    const keyless = hint && ctx.vendor?.can.bookingKey === false ? hintRoute(ctx) : undefined;
    if (!keyless) return found;
    const more = await byHint(ctx, key, hint!, keyless);
    return [...found, ...more.filter((a) => !found.some((f) => f.id === a.id))];
  }
  if (!route) throw new Error("the EHR's API cannot search Appointments: a booking cannot be found");
  if (!hint) throw new Error(`the EHR cannot search Appointments by identifier, and booking ${key} has no slot and patient to search by`);
  return byHint(ctx, key, hint, route);
}

/** The way to find a booking by what is known besides its KEY, where the EHR offers one. */
function hintRoute(ctx: ConnectionContext): 'patient-date' | 'slot' | undefined {
  const cap = ctx.capability;
  if (!cap?.ok || (searchable(cap, 'Appointment', 'patient') && searchable(cap, 'Appointment', 'date'))) return 'patient-date';
  return searchable(cap, 'Appointment', 'slot') ? 'slot' : undefined;
}

/** Appointments on the hinted slot for the hinted patient that carry the KEY, or no run key at all. */
async function byHint(ctx: ConnectionContext, key: string, hint: BookingHint, route: 'patient-date' | 'slot'): Promise<Appointment[]> {
  const query = route === 'slot' ? { slot: `Slot/${hint.slot.id}` } : { patient: `Patient/${hint.patientId}`, date: hint.slot.start.slice(0, 10) };
  const found = await ctx.ehr.searchAll<Appointment>('Appointment', query, { maxPages: 5 });
  const forPatient = (a: Appointment) => a.participant?.some((p) => p.actor?.reference === `Patient/${hint.patientId}`);
  const onSlot = (a: Appointment) => a.slot?.some((r) => r.reference === `Slot/${hint.slot.id}` || r.reference?.endsWith(`/Slot/${hint.slot.id}`));
  return found.filter((a) => a.resourceType === 'Appointment' && (bookingKeyOf(a) === key || (bookingKeyOf(a) === undefined && onSlot(a) && forPatient(a))));
}

/** Active Appointments the EHR holds on one slot. */
export async function ehrBookingsOnSlot(ctx: ConnectionContext, slotId: string): Promise<Appointment[]> {
  const query = { slot: `Slot/${slotId}` };
  const found = keepMatching('Appointment', await ctx.ehr.searchAll<Appointment>('Appointment', query, { maxPages: 5 }), query);
  return found.filter((a) => ACTIVE_APPOINTMENT.has(a.status));
}

/**
 * Deletes an Appointment the run caused; where delete is not allowed, cancels it (which frees its slot). Both are
 * writes, so the ledger records them first; `identifier` (the run identifier the record carries) tells cleanup
 * which of the run's writes made it.
 */
export async function removeAppointment(ctx: ConnectionContext, id: string, identifier?: string): Promise<FhirResponse> {
  const removal = { connection: ctx.key, target: 'ehr', resourceType: 'Appointment', id, ...(identifier && { forIdentifier: identifier }) } as const;
  const recorder = {
    before: async (action: 'remove' | 'cancel') => {
      const seq = await ctx.ledger.intend({ ...removal, action });
      return (status: number) => ctx.ledger.done(seq, { status, id });
    },
  };
  return (await removeRecord(ctx.ehr, 'Appointment', id, recorder)).answer;
}

function requireSchedule(ctx: ConnectionContext): string {
  if (!ctx.schedule) throw new Error('no schedule to probe: give `schedule` in the plan, or the EHR must list one');
  return ctx.schedule;
}
