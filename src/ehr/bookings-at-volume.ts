// Reading many bookings at once: a burst of dozens of keys or slots is searched in a few requests, the values of
// one parameter joined with commas (FHIR's "or"), and the results filtered again in case the EHR ignored a value.
import type { ConnectionContext } from '../context.js';
import type { Appointment } from '../model/fhir.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
import { bookingKeyOf } from '../safety/run-records.js';
import { bookingRoute } from './capability.js';
import { ACTIVE_APPOINTMENT } from './removal.js';
import { keepMatching, sameReference } from './search-match.js';

/** Values per search: keeps each URL a few kilobytes long. */
const PER_SEARCH = 40;

function chunks<T>(items: readonly T[], size = PER_SEARCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function searchEach(ctx: ConnectionContext, param: string, values: readonly string[]): Promise<Appointment[]> {
  const found = await Promise.all(
    chunks(values).map(async (part) => {
      const query = { [param]: part.join(','), _count: '200' };
      const page = await ctx.ehr.searchAll<Appointment>('Appointment', query, { maxPages: 10 });
      return keepMatching('Appointment', page, { [param]: query[param] });
    }),
  );
  return found.flat();
}

/** A booking of the burst: its key, the slot it was made on (and when it starts), and for whom. */
export interface KeyedBooking {
  key: string;
  slot: string;
  start: string;
  patientId: string;
}

/**
 * Every Appointment the EHR holds, whatever its status, carrying one of these bookings' keys: by
 * `Appointment?identifier=` where the EHR allows it; else by the test patient over the bookings' days, or by
 * `Appointment?slot=` on their slots, keeping those that carry one of the keys.
 */
export async function ehrAppointmentsForBookings(ctx: ConnectionContext, bookings: readonly KeyedBooking[]): Promise<Appointment[]> {
  if (bookings.length === 0) return [];
  const route = bookingRoute(ctx);
  if (route === 'identifier') return searchEach(ctx, 'identifier', bookings.map((b) => `${BOOKING_IDENTIFIER_SYSTEM}|${b.key}`));
  const keys = new Set(bookings.map((b) => b.key));
  const ours = (found: Appointment[]) => found.filter((a) => keys.has(bookingKeyOf(a) ?? ''));
  if (route === 'slot') return ours(await searchEach(ctx, 'slot', [...new Set(bookings.map((b) => `Slot/${b.slot}`))]));
  // By patient and date: the burst books for one test patient, so its days hold every booking of the burst.
  const byPatient = await Promise.all(
    [...new Set(bookings.map((b) => b.patientId))].map(async (patientId) => {
      const days = bookings.filter((b) => b.patientId === patientId).map((b) => b.start.slice(0, 10)).sort();
      const query = { patient: `Patient/${patientId}`, date: [`ge${days[0]}`, `le${days[days.length - 1]}`], _count: '200' };
      return keepMatching('Appointment', await ctx.ehr.searchAll<Appointment>('Appointment', query, { maxPages: 20 }), query);
    }),
  );
  return ours(byPatient.flat());
}

/** The active Appointments on each of these slots (by slot id). */
export async function ehrBookingsOnSlots(ctx: ConnectionContext, slotIds: readonly string[]): Promise<Map<string, Appointment[]>> {
  const found = (await searchEach(ctx, 'slot', slotIds.map((id) => `Slot/${id}`))).filter((a) => ACTIVE_APPOINTMENT.has(a.status));
  return new Map(slotIds.map((id) => [id, found.filter((a) => a.slot?.some((s) => sameReference(s.reference, `Slot/${id}`)))]));
}
