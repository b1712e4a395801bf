// Reading many bookings at once: a burst of dozens of keys or slots is searched in a few requests, the values of
// one parameter joined with commas (FHIR's "or"), and the results filtered again in case the EHR ignored a value.
import type { ConnectionContext } from '../context.js';
import type { Appointment } from '../model/fhir.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
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

/** Every Appointment the EHR holds, whatever its status, carrying one of these booking keys. */
export function ehrAppointmentsByIdentifiers(ctx: ConnectionContext, keys: readonly string[]): Promise<Appointment[]> {
  return searchEach(ctx, 'identifier', keys.map((k) => `${BOOKING_IDENTIFIER_SYSTEM}|${k}`));
}

/** The active Appointments on each of these slots (by slot id). */
export async function ehrBookingsOnSlots(ctx: ConnectionContext, slotIds: readonly string[]): Promise<Map<string, Appointment[]>> {
  const found = (await searchEach(ctx, 'slot', slotIds.map((id) => `Slot/${id}`))).filter((a) => ACTIVE_APPOINTMENT.has(a.status));
  return new Map(slotIds.map((id) => [id, found.filter((a) => a.slot?.some((s) => sameReference(s.reference, `Slot/${id}`)))]));
}
